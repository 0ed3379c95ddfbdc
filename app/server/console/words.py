"""The console's words: English in the templates and the routes, Polish from this table.

A template says ``{{ _("Sign in") }}``; a sentence with a value in it names the value,
``{{ _("Takes over on {date}", date=...) }}``. Every English sentence the console shows is
a key here (``tests/server/test_console_words.py`` finds them in the templates and routes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

LANGUAGES = ("en", "pl")

POLISH: dict[str, str] = {
    # the frame of every page
    "Standby account": "Konto Standby",
    "Skip to content": "Przejdź do treści",
    "Devices": "Urządzenia",
    "Licenses": "Licencje",
    "Sign out": "Wyloguj",
    "Sign out everywhere": "Wyloguj wszędzie",
    "Signed in as {email}": "Zalogowano jako {email}",
    "Language": "Język",
    "Account pages": "Strony konta",
    # signing in
    "Sign in": "Zaloguj się",
    "Sign in to see the devices and licenses of your account.": (
        "Zaloguj się, aby zobaczyć urządzenia i licencje swojego konta."
    ),
    "E-mail": "E-mail",
    "Password": "Hasło",
    "The e-mail or the password is wrong.": "Adres e-mail lub hasło jest nieprawidłowe.",
    "Enter the e-mail address of your account.": "Wpisz adres e-mail swojego konta.",
    "Too many attempts. Try again in {minutes} min.": (
        "Zbyt wiele prób. Spróbuj ponownie za {minutes} min."
    ),
    "You are signed out.": "Wylogowano.",
    "You are signed out on every browser.": "Wylogowano we wszystkich przeglądarkach.",
    "Your session has ended. Sign in again.": "Sesja wygasła. Zaloguj się ponownie.",
    "The activation server cannot reach its database. Try again shortly.": (
        "Serwer aktywacji nie może połączyć się ze swoją bazą danych. Spróbuj za chwilę."
    ),
    # devices
    "Your devices": "Twoje urządzenia",
    "No device is linked to this account yet. Sign in to the account in the Standby app "
    "on a device to see it here.": (
        "Żadne urządzenie nie jest jeszcze połączone z tym kontem. Zaloguj się na konto "
        "w aplikacji Standby na urządzeniu, aby je tu zobaczyć."
    ),
    "Unnamed device": "Urządzenie bez nazwy",
    "Last contact": "Ostatni kontakt",
    "never": "nigdy",
    "License": "Licencja",
    "Reserve code": "Zapasowy kod",
    "No license": "Brak licencji",
    "None": "Brak",
    "Expires on {date}": "Wygasa {date}",
    "Expired on {date}": "Wygasła {date}",
    "Takes over on {date}": "Przejmie ochronę {date}",
    "At risk: it cannot take over as planned": ("Zagrożony: nie przejmie ochrony zgodnie z planem"),
    "Manage": "Zarządzaj",
    "Manage {name}": "Zarządzaj: {name}",
    "The device's seats were freed and it was removed from your account.": (
        "Miejsca urządzenia zostały zwolnione, a urządzenie usunięte z konta."
    ),
    # states
    "Active": "Aktywna",
    "Expires soon": "Wkrótce wygaśnie",
    "Expired": "Wygasła",
    "Blocked": "Zablokowana",
    "Trial": "Wersja próbna",
    "Not activated yet": "Jeszcze nieaktywowana",
    # a device's page
    "Device": "Urządzenie",
    "Back to your devices": "Wróć do urządzeń",
    "Name": "Nazwa",
    "Save name": "Zapisz nazwę",
    "The name was saved.": "Nazwa została zapisana.",
    "A device name has 1 to 100 characters.": "Nazwa urządzenia ma od 1 do 100 znaków.",
    "Device ID": "Identyfikator urządzenia",
    "Free this seat": "Zwolnij to miejsce",
    "Lost or stolen device? Free its seats: its license ends at its next contact with "
    "the server, and the seats can be used on another device.": (
        "Urządzenie zgubione lub skradzione? Zwolnij jego miejsca: jego licencja wygaśnie "
        "przy następnym kontakcie z serwerem, a miejsc można użyć na innym urządzeniu."
    ),
    "Seat releases left for code {code}: {left} of {most} in 30 days.": (
        "Pozostałe zwolnienia miejsc kodu {code}: {left} z {most} w ciągu 30 dni."
    ),
    "The next one comes back on {date}.": "Następne będzie dostępne {date}.",
    "Code {code} has no seat release left. The next one comes back on {date}.": (
        "Kod {code} nie ma już zwolnień miejsc. Następne będzie dostępne {date}."
    ),
    "This device holds no seat. Freeing it only removes it from your account.": (
        "To urządzenie nie zajmuje miejsca. Zwolnienie tylko usunie je z konta."
    ),
    # confirming
    "Free the seats of {name}?": "Zwolnić miejsca urządzenia {name}?",
    "Every seat and reserve hold of this device is freed at once, and it is removed "
    "from your account.": (
        "Wszystkie miejsca tego urządzenia, także zarezerwowane dla zapasowego kodu, "
        "zostaną zwolnione naraz, a urządzenie zostanie usunięte z konta."
    ),
    "If the device is still in use, its protection ends the next time it contacts the "
    "activation server.": (
        "Jeśli urządzenie jest nadal używane, jego ochrona wygaśnie przy następnym "
        "kontakcie z serwerem aktywacji."
    ),
    "Yes, free the seats": "Tak, zwolnij miejsca",
    "Cancel": "Anuluj",
    # licenses
    "Your licenses": "Twoje licencje",
    "No device of this account uses or holds a license yet.": (
        "Żadne urządzenie tego konta nie używa jeszcze licencji ani jej nie rezerwuje."
    ),
    "Type": "Rodzaj",
    "Term": "Okres",
    "{days} days": "{days} dni",
    "Expiry": "Wygaśnięcie",
    "Valid for activation until": "Ważny do aktywacji do",
    "Seats": "Miejsca",
    "{used} in use, {held} held for a reserve, {total} in all": (
        "{used} w użyciu, {held} zarezerwowane dla zapasowego kodu, łącznie {total}"
    ),
    "On your devices": "Na Twoich urządzeniach",
    "held for the reserve": "zarezerwowane dla zapasowego kodu",
    "Commercial": "Komercyjna",
    "Subscription": "Subskrypcja",
    # errors
    "Page not found": "Nie znaleziono strony",
    "There is no such page in your account.": "Na Twoim koncie nie ma takiej strony.",
    "The form has expired": "Formularz wygasł",
    "Reload the page and try again.": "Odśwież stronę i spróbuj ponownie.",
    "Go to your devices": "Przejdź do urządzeń",
}


def translator(language: str) -> Callable[..., Markup]:
    """``_(english, **values)`` in ``language``: the sentence, its values put in, as
    markup that is safe to show."""

    def words(english: str, **values: Any) -> Markup:
        sentence = POLISH.get(english, english) if language == "pl" else english
        # The sentence is escaped, and so is every value but markup of our own (a <time>).
        return Markup.escape(sentence).format(**values) if values else Markup.escape(sentence)

    return words


def best_language(accept_language: str | None) -> str:
    """The first of our languages the browser's ``Accept-Language`` asks for (by weight),
    else English."""
    asked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        asked.append((-weight, index, tag.strip().lower().split("-")[0]))
    for weight, _index, language in sorted(asked):
        if weight < 0 and language in LANGUAGES:
            return language
    return "en"
