// Progressive: every <time> the server wrote in UTC is shown in the browser's own time zone
// and language. Without this script the pages say the same in UTC.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var language = document.documentElement.lang || "en";
  var format = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });
  document.querySelectorAll("time[datetime]").forEach(function (element) {
    var moment = new Date(element.getAttribute("datetime"));
    if (!isNaN(moment.getTime())) {
      element.title = element.textContent;
      element.textContent = format.format(moment);
    }
  });
});
