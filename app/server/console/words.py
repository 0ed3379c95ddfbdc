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
    "Try again shortly": "Spróbuj za chwilę",
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
    # the account's reserve
    "One reserve code for all your devices": "Jeden zapasowy kod dla wszystkich urządzeń",
    "The reserve code was removed and its seats freed.": (
        "Zapasowy kod został usunięty, a jego miejsca zwolnione."
    ),
    "Each device gets it at its next contact with the activation server, and it takes "
    "over by itself when that device's license ends, even with no network.": (
        "Każde urządzenie otrzyma go przy najbliższym kontakcie z serwerem aktywacji, a kod "
        "przejmie ochronę sam, gdy licencja urządzenia wygaśnie, nawet bez dostępu do sieci."
    ),
    "Held: takes over on {date}": "Zarezerwowany: przejmie ochronę {date}",
    "Waiting for the device to contact the activation server": (
        "Czeka na kontakt urządzenia z serwerem aktywacji"
    ),
    "Replace its own reserve code": "Zastąp jego własny zapasowy kod",
    "Not included": "Nieobjęte",
    "Remove the reserve code": "Usuń zapasowy kod",
    "Enter a newly bought activation code once: it becomes the reserve code of every "
    "device of your account, and takes over by itself when each device's license ends.": (
        "Wprowadź nowo kupiony kod aktywacyjny raz: stanie się zapasowym kodem każdego "
        "urządzenia Twojego konta i sam przejmie ochronę, gdy licencja urządzenia wygaśnie."
    ),
    "Activation code": "Kod aktywacyjny",
    "This code has {seats} free seats for {devices} devices. Choose the devices that get it.": (
        "Ten kod ma wolnych miejsc: {seats}, a urządzeń: {devices}. Wybierz urządzenia, "
        "które go otrzymają."
    ),
    "Save for all devices": "Zapisz dla wszystkich urządzeń",
    "Save for the chosen devices": "Zapisz dla wybranych urządzeń",
    "This is not an activation code. Check it and try again.": (
        "To nie jest kod aktywacyjny. Sprawdź go i spróbuj ponownie."
    ),
    "There is no such activation code. Check it and try again.": (
        "Nie ma takiego kodu aktywacyjnego. Sprawdź go i spróbuj ponownie."
    ),
    "This activation code is blocked.": "Ten kod aktywacyjny jest zablokowany.",
    "This activation code can no longer be activated.": (
        "Tego kodu aktywacyjnego nie można już aktywować."
    ),
    "Your account has a reserve code already. Remove it first.": (
        "Twoje konto ma już zapasowy kod. Najpierw go usuń."
    ),
    "This device has a reserve code of its own.": "To urządzenie ma własny zapasowy kod.",
    "It would not protect this device for longer than its license.": (
        "Nie chroniłby tego urządzenia dłużej niż jego obecna licencja."
    ),
    "This device already uses this code.": "To urządzenie już używa tego kodu.",
    "The code has no free seat left for this device.": (
        "Kod nie ma już wolnego miejsca dla tego urządzenia."
    ),
    "A subscription renews by itself and takes no reserve code.": (
        "Subskrypcja odnawia się sama i nie przyjmuje zapasowego kodu."
    ),
    "This kind of code cannot follow this device's license.": (
        "Kod tego rodzaju nie może zastąpić licencji tego urządzenia."
    ),
    "The Standby version on this device cannot use this code.": (
        "Wersja Standby na tym urządzeniu nie może używać tego kodu."
    ),
    "This device has no license for a reserve to follow. Enter the code on the device itself.": (
        "To urządzenie nie ma licencji, którą zapasowy kod mógłby zastąpić. Wprowadź kod "
        "na samym urządzeniu."
    ),
    "The reserve code was removed on the device.": "Zapasowy kod usunięto na urządzeniu.",
    "The seat held for this device is gone.": (
        "Miejsce zarezerwowane dla tego urządzenia zostało zwolnione."
    ),
    "This code cannot be this device's reserve.": (
        "Ten kod nie może być zapasowym kodem tego urządzenia."
    ),
    # errors
    "Page not found": "Nie znaleziono strony",
    "There is no such page in your account.": "Na Twoim koncie nie ma takiej strony.",
    "The form has expired": "Formularz wygasł",
    "Reload the page and try again.": "Odśwież stronę i spróbuj ponownie.",
    "Go to your devices": "Przejdź do urządzeń",
    # recovery by e-mail
    "Forgot your password?": "Nie pamiętasz hasła?",
    "This server does not offer account recovery by e-mail. Ask its operator to reset your "
    "password.": (
        "Ten serwer nie oferuje odzyskiwania konta przez e-mail. Poproś jego administratora "
        "o zresetowanie hasła."
    ),
    "If an account exists for that address, we sent it a link to choose a new password. The "
    "link works once, for 30 minutes.": (
        "Jeśli istnieje konto z tym adresem, wysłaliśmy na niego link do ustawienia nowego "
        "hasła. Link działa raz, przez 30 minut."
    ),
    "Enter the e-mail address of your account: we will send it a link to choose a new password.": (
        "Wpisz adres e-mail swojego konta: wyślemy na niego link do ustawienia nowego hasła."
    ),
    "Send the link": "Wyślij link",
    "Back to sign-in": "Wróć do logowania",
    "We e-mailed this address a short while ago. Try again in {minutes} min.": (
        "Niedawno wysłaliśmy wiadomość na ten adres. Spróbuj ponownie za {minutes} min."
    ),
    "Choose a new password": "Ustaw nowe hasło",
    "For the account {email}.": "Dla konta {email}.",
    "New password": "Nowe hasło",
    "At least 8 characters.": "Co najmniej 8 znaków.",
    "The new password again": "Powtórz nowe hasło",
    "Save the new password": "Zapisz nowe hasło",
    "The two passwords differ. Type the same password twice.": (
        "Hasła się różnią. Wpisz dwa razy to samo hasło."
    ),
    "A password has at least 8 characters.": "Hasło musi mieć co najmniej 8 znaków.",
    "A password has at most 1024 characters.": "Hasło może mieć najwyżej 1024 znaki.",
    "Your password was changed": "Hasło zostało zmienione",
    "Every browser signed in to your account was signed out. Sign in with your new password.": (
        "Wszystkie przeglądarki zalogowane na Twoje konto zostały wylogowane. Zaloguj się "
        "nowym hasłem."
    ),
    "This link no longer works": "Ten link już nie działa",
    "A link to reset the password works once, for 30 minutes. Ask for a new one.": (
        "Link do zmiany hasła działa raz, przez 30 minut. Poproś o nowy."
    ),
    "Ask for a new link": "Poproś o nowy link",
    "The one-time code is wrong or has expired. Ask for a new one.": (
        "Jednorazowy kod jest błędny lub wygasł. Poproś o nowy."
    ),
    "One-time code from the e-mail": "Jednorazowy kod z wiadomości e-mail",
    "Too many failed sign-ins for this address: type your password and a one-time code we "
    "e-mail to it.": (
        "Zbyt wiele nieudanych logowań na ten adres: wpisz hasło i jednorazowy kod, który "
        "na niego wyślemy."
    ),
    "E-mail me a one-time code": "Wyślij mi jednorazowy kod",
    "E-mail me another code": "Wyślij mi nowy kod",
    "If an account exists for that address, we e-mailed it a one-time code. It works once, "
    "for 10 minutes.": (
        "Jeśli istnieje konto z tym adresem, wysłaliśmy na niego jednorazowy kod. Działa raz, "
        "przez 10 minut."
    ),
    "This server sends no e-mail, so it cannot send you a one-time code.": (
        "Ten serwer nie wysyła wiadomości e-mail, więc nie może wysłać jednorazowego kodu."
    ),
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
