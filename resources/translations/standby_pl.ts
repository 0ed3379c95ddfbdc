<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="pl_PL">
<context>
    <name>AccountPageDialog</name>
    <message>
        <source>Your account on the web</source>
        <translation>Twoje konto w internecie</translation>
    </message>
    <message>
        <source>The web page could not be opened</source>
        <translation>Nie udało się otworzyć strony internetowej</translation>
    </message>
    <message>
        <source>No web browser on this computer could be started for Standby. Copy this address and open it in your web browser:</source>
        <translation>Standby nie może uruchomić na tym komputerze żadnej przeglądarki internetowej. Skopiuj ten adres i otwórz go w swojej przeglądarce:</translation>
    </message>
    <message>
        <source>The address of your account's web page</source>
        <translation>Adres strony internetowej Twojego konta</translation>
    </message>
</context>
<context>
    <name>AccountWords</name>
    <message>
        <source>Saved for all your devices in your account on the web.</source>
        <translation>Zapisany dla wszystkich urządzeń na Twoim koncie w internecie.</translation>
    </message>
    <message>
        <source>This reserve code was saved in your account on the web, and the seat kept for this device is gone. Save the reserve code again in your account, or enter an activation code here.</source>
        <translation>Ten kod zapasowy został zapisany na Twoim koncie w internecie, a miejsce zarezerwowane dla tego urządzenia już nie istnieje. Zapisz kod zapasowy ponownie na swoim koncie albo wprowadź kod aktywacyjny tutaj.</translation>
    </message>
</context>
<context>
    <name>ActivationCodeDialog</name>
    <message>
        <source>Activation codes never contain the letter U. Check the code again.</source>
        <translation>Kody aktywacyjne nigdy nie zawierają litery U. Sprawdź kod jeszcze raz.</translation>
    </message>
    <message>
        <source>“%1” cannot be part of an activation code: codes contain only letters and digits.</source>
        <translation>„%1” nie może być częścią kodu aktywacyjnego: kody zawierają tylko litery i cyfry.</translation>
    </message>
    <message>
        <source>An activation code has 20 letters and digits; you entered %1.</source>
        <translation>Kod aktywacyjny składa się z 20 liter i cyfr, a wpisano ich %1.</translation>
    </message>
    <message>
        <source>Enter activation code</source>
        <translation>Wprowadź kod aktywacyjny</translation>
    </message>
    <message>
        <source>Activation code</source>
        <translation>Kod aktywacyjny</translation>
    </message>
    <message>
        <source>20 letters and digits, as in your purchase confirmation</source>
        <translation>20 liter i cyfr, tak jak w potwierdzeniu zakupu</translation>
    </message>
    <message>
        <source>Clear the code</source>
        <translation>Wyczyść kod</translation>
    </message>
    <message>
        <source>Checking the code</source>
        <translation>Sprawdzanie kodu</translation>
    </message>
    <message>
        <source>Checking the code with the activation server…</source>
        <translation>Sprawdzanie kodu na serwerze aktywacji…</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Zaloguj się…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Save activation code</source>
        <translation>Zapisz kod aktywacyjny</translation>
    </message>
    <message>
        <source>A reserve activation code (%1) is already saved. A new code is checked first: only if it can take over when your license ends does it replace the saved one. Otherwise the saved code stays, and you are told why.</source>
        <translation>Zapasowy kod aktywacyjny (%1) jest już zapisany. Nowy kod zostanie najpierw sprawdzony: zastąpi zapisany tylko wtedy, gdy będzie mógł przejąć ochronę po wygaśnięciu licencji. W przeciwnym razie zapisany kod pozostanie, a Ty dowiesz się dlaczego.</translation>
    </message>
    <message>
        <source>Your license is active. A new code is saved as your reserve activation code and activates by itself when the current license ends, so your protection never stops.</source>
        <translation>Licencja jest aktywna. Nowy kod zostanie zapisany jako zapasowy kod aktywacyjny i aktywuje się automatycznie po wygaśnięciu bieżącej licencji, dzięki czemu ochrona nie zostanie przerwana.</translation>
    </message>
    <message>
        <source>Type or paste the code from your purchase confirmation to activate Standby.</source>
        <translation>Wpisz lub wklej kod z potwierdzenia zakupu, aby aktywować aplikację Standby.</translation>
    </message>
    <message>
        <source>%1 of 20 characters</source>
        <translation>%1 z 20 znaków</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Anulowanie…</translation>
    </message>
    <message>
        <source>Waiting for your password keyring: it may be asking you to unlock it, or to create a keyring, in a window of its own.</source>
        <translation>Oczekiwanie na magazyn haseł: być może prosi o odblokowanie albo o utworzenie magazynu w osobnym oknie.</translation>
    </message>
    <message>
        <source>Cancelled. The code was not added to this device.</source>
        <translation>Anulowano. Kod nie został dodany do tego urządzenia.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>Standby is activated. Your license is valid until %1.</source>
        <translation>Aplikacja Standby została aktywowana. Licencja jest ważna do %1.</translation>
    </message>
    <message>
        <source>Saved as your reserve activation code in place of %2. It activates by itself on %1, when your current license ends.</source>
        <translation>Zapisano jako zapasowy kod aktywacyjny w miejsce kodu %2. Aktywuje się automatycznie %1, gdy wygaśnie obecna licencja.</translation>
    </message>
    <message>
        <source>Saved as your reserve activation code. It activates by itself on %1, when your current license ends.</source>
        <translation>Zapisano jako zapasowy kod aktywacyjny. Aktywuje się automatycznie %1, gdy wygaśnie bieżąca licencja.</translation>
    </message>
    <message numerus="yes">
        <source>This code covers %n device(s). To renew each of them automatically, enter it as the reserve code on every one of them.</source>
        <translation>
            <numerusform>Ten kod obejmuje %n urządzenie. Wprowadź go jako kod zapasowy na urządzeniu, na którym licencja ma się odnowić automatycznie.</numerusform>
            <numerusform>Ten kod obejmuje %n urządzenia. Wprowadź go jako kod zapasowy na każdym urządzeniu, na którym licencja ma się odnowić automatycznie.</numerusform>
            <numerusform>Ten kod obejmuje %n urządzeń. Wprowadź go jako kod zapasowy na każdym urządzeniu, na którym licencja ma się odnowić automatycznie.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This code covers %n device(s). Enter it on each device you want to protect.</source>
        <translation>
            <numerusform>Ten kod obejmuje %n urządzenie. Wprowadź go na urządzeniu, które chcesz chronić.</numerusform>
            <numerusform>Ten kod obejmuje %n urządzenia. Wprowadź go na każdym urządzeniu, które chcesz chronić.</numerusform>
            <numerusform>Ten kod obejmuje %n urządzeń. Wprowadź go na każdym urządzeniu, które chcesz chronić.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Notification</source>
        <translation>Powiadomienie</translation>
    </message>
    <message>
        <source>Dismiss notification</source>
        <translation>Zamknij powiadomienie</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Zamknij</translation>
    </message>
</context>
<context>
    <name>CopyDialog</name>
    <message>
        <source>Copy</source>
        <translation>Kopiuj</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Skopiowano</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
</context>
<context>
    <name>DemoCodesDialog</name>
    <message>
        <source>Demo activation codes</source>
        <translation>Demonstracyjne kody aktywacyjne</translation>
    </message>
    <message>
        <source>These codes were just issued by the activation server built into this copy of Standby. To watch a reserve code take over: activate the 3‑minute code, then enter the one-year code. It is saved as your reserve code and activates by itself when the 3 minutes are over.</source>
        <translation>Te kody zostały właśnie wygenerowane przez serwer aktywacji wbudowany w tę kopię aplikacji Standby. Aby zobaczyć, jak kod zapasowy przejmuje ochronę, aktywuj kod 3‑minutowy, a następnie wprowadź kod roczny. Zostanie on zapisany jako kod zapasowy i aktywuje się automatycznie po upływie 3 minut.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>The demo codes could not be issued: %1</source>
        <translation>Nie udało się wygenerować kodów demonstracyjnych: %1</translation>
    </message>
    <message>
        <source>Expires 3 minutes after activation</source>
        <translation>Wygasa 3 minuty po aktywacji</translation>
    </message>
    <message>
        <source>One year</source>
        <translation>Jeden rok</translation>
    </message>
    <message>
        <source>One year, for 3 devices</source>
        <translation>Jeden rok, na 3 urządzenia</translation>
    </message>
    <message>
        <source>Two years, needs an account</source>
        <translation>Dwa lata, wymaga konta</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopiuj</translation>
    </message>
    <message>
        <source>Copy: %1</source>
        <translation>Kopiuj: %1</translation>
    </message>
    <message>
        <source>Account for the last code: %1, password %2</source>
        <translation>Konto do ostatniego kodu: %1, hasło: %2</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Skopiowano</translation>
    </message>
</context>
<context>
    <name>DeviceNameRow</name>
    <message>
        <source>Device name</source>
        <translation>Nazwa urządzenia</translation>
    </message>
    <message>
        <source>The name this device has in your account on the web.</source>
        <translation>Nazwa tego urządzenia na Twoim koncie w internecie.</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Zmień nazwę</translation>
    </message>
    <message>
        <source>Rename this device</source>
        <translation>Zmień nazwę tego urządzenia</translation>
    </message>
    <message>
        <source>Renamed. Your account on the web shows the new name after the next check with the activation server.</source>
        <translation>Zmieniono nazwę. Twoje konto w internecie pokaże nową nazwę po najbliższym połączeniu z serwerem aktywacji.</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Manage license</source>
        <translation>Zarządzaj licencją</translation>
    </message>
    <message>
        <source>Checking your protection…</source>
        <translation>Sprawdzanie ochrony…</translation>
    </message>
    <message>
        <source>Your device is protected</source>
        <translation>Twoje urządzenie jest chronione</translation>
    </message>
    <message>
        <source>Your license is active.</source>
        <translation>Licencja jest aktywna.</translation>
    </message>
    <message>
        <source>Your device stays protected</source>
        <translation>Twoje urządzenie pozostaje chronione</translation>
    </message>
    <message>
        <source>Your license ends soon, and your reserve code takes over by itself.</source>
        <translation>Licencja wkrótce wygaśnie, a kod zapasowy automatycznie przejmie ochronę.</translation>
    </message>
    <message>
        <source>Your license ends soon</source>
        <translation>Licencja wkrótce wygaśnie</translation>
    </message>
    <message>
        <source>Your reserve code could not be activated. See what to do in Profile.</source>
        <translation>Nie udało się aktywować kodu zapasowego. Sprawdź w sekcji Profil, co zrobić.</translation>
    </message>
    <message>
        <source>Fix it in Profile</source>
        <translation>Rozwiąż problem w sekcji Profil</translation>
    </message>
    <message>
        <source>Enter a new activation code to stay protected: it waits as your reserve code and takes over by itself.</source>
        <translation>Aby zachować ochronę, wprowadź nowy kod aktywacyjny: zostanie zapisany jako kod zapasowy i automatycznie przejmie ochronę.</translation>
    </message>
    <message>
        <source>Enter activation code</source>
        <translation>Wprowadź kod aktywacyjny</translation>
    </message>
    <message>
        <source>Your license has expired.</source>
        <translation>Licencja wygasła.</translation>
    </message>
    <message>
        <source>Your license has been blocked.</source>
        <translation>Licencja została zablokowana.</translation>
    </message>
    <message>
        <source>No license is active on this device.</source>
        <translation>Na tym urządzeniu nie ma aktywnej licencji.</translation>
    </message>
    <message>
        <source>Your device is not protected</source>
        <translation>Twoje urządzenie nie jest chronione</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Strona główna</translation>
    </message>
</context>
<context>
    <name>LicenseDetailsDialog</name>
    <message>
        <source>License details</source>
        <translation>Szczegóły licencji</translation>
    </message>
    <message>
        <source>Current license</source>
        <translation>Bieżąca licencja</translation>
    </message>
    <message>
        <source>Activation code</source>
        <translation>Kod aktywacyjny</translation>
    </message>
    <message>
        <source>License type</source>
        <translation>Typ licencji</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Activated on</source>
        <translation>Data aktywacji</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Wygasa</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Urządzenia</translation>
    </message>
    <message>
        <source>No license is active on this device.</source>
        <translation>Na tym urządzeniu nie ma aktywnej licencji.</translation>
    </message>
    <message>
        <source>Reserve activation code</source>
        <translation>Zapasowy kod aktywacyjny</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>Okres ważności</translation>
    </message>
    <message>
        <source>License valid until</source>
        <translation>Licencja będzie ważna do</translation>
    </message>
    <message>
        <source>Takes over</source>
        <translation>Przejmie ochronę</translation>
    </message>
    <message>
        <source>No reserve code is saved. While your license is active, a newly bought code entered with “Enter activation code” waits here and activates by itself when the license ends.</source>
        <translation>Nie zapisano kodu zapasowego. Jeśli przy aktywnej licencji wprowadzisz nowo kupiony kod poleceniem „Wprowadź kod aktywacyjny”, zostanie on zapisany tutaj i aktywuje się automatycznie, gdy licencja wygaśnie.</translation>
    </message>
    <message>
        <source>Remove reserve code…</source>
        <translation>Usuń kod zapasowy…</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Spróbuj ponownie</translation>
    </message>
    <message>
        <source>Activate now</source>
        <translation>Aktywuj teraz</translation>
    </message>
    <message>
        <source>License status</source>
        <translation>Stan licencji</translation>
    </message>
    <message>
        <source>After a purchase it can take up to 24 hours until the license status shown here is up to date.</source>
        <translation>Po zakupie aktualizacja wyświetlanego tutaj stanu licencji może potrwać do 24 godzin.</translation>
    </message>
    <message>
        <source>Activation server</source>
        <translation>Serwer aktywacji</translation>
    </message>
    <message>
        <source>Activation codes kept in</source>
        <translation>Przechowywanie kodów</translation>
    </message>
    <message>
        <source>Check status now</source>
        <translation>Sprawdź teraz stan</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>Remove the reserve code?</source>
        <translation>Usunąć kod zapasowy?</translation>
    </message>
    <message>
        <source>Standby will no longer renew your license by itself with this code. You can enter it again later.</source>
        <translation>Licencja nie będzie już automatycznie odnawiana przy użyciu tego kodu. Możesz wprowadzić go ponownie później.</translation>
    </message>
    <message>
        <source>Expired on</source>
        <translation>Wygasła</translation>
    </message>
    <message>
        <source>The status has not been confirmed with the activation server yet.</source>
        <translation>Stan nie został jeszcze potwierdzony przez serwer aktywacji.</translation>
    </message>
    <message>
        <source>Last confirmed with the activation server: %1</source>
        <translation>Ostatnie potwierdzenie przez serwer aktywacji: %1</translation>
    </message>
    <message>
        <source>(checking now…)</source>
        <translation>(trwa sprawdzanie…)</translation>
    </message>
    <message>
        <source>%1 (a file only your user account can read; no password keyring)</source>
        <translation>%1 (plik, który może odczytać tylko Twoje konto użytkownika; brak systemowego magazynu haseł)</translation>
    </message>
</context>
<context>
    <name>LogFileDialog</name>
    <message>
        <source>Standby's log file</source>
        <translation>Plik dziennika Standby</translation>
    </message>
    <message>
        <source>The log file could not be opened</source>
        <translation>Nie udało się otworzyć pliku dziennika</translation>
    </message>
    <message>
        <source>No program on this computer opens text files for Standby. The log file is here; copy its path to open it another way, or to send it to support:</source>
        <translation>Na tym komputerze żaden program nie otwiera plików tekstowych dla Standby. Plik dziennika jest tutaj; skopiuj jego ścieżkę, aby otworzyć go w inny sposób lub wysłać go do pomocy technicznej:</translation>
    </message>
    <message>
        <source>Where the log file is</source>
        <translation>Gdzie jest plik dziennika</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Open Standby</source>
        <translation>Otwórz Standby</translation>
    </message>
    <message>
        <source>Quit Standby</source>
        <translation>Zakończ Standby</translation>
    </message>
    <message>
        <source>Demo activation codes…</source>
        <translation>Demonstracyjne kody aktywacyjne…</translation>
    </message>
    <message>
        <source>About Standby</source>
        <translation>O aplikacji Standby</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>This device will no longer be protected by this license, and its seat is freed for another device. Your reserve code then activates by itself.</source>
        <translation>To urządzenie nie będzie już chronione tą licencją, a zajmowane przez nie miejsce zostanie zwolnione dla innego urządzenia. Następnie automatycznie aktywuje się kod zapasowy.</translation>
    </message>
    <message>
        <source>This device will no longer be protected by this license, and its seat is freed for another device. To use the license here again, you will need its activation code.</source>
        <translation>To urządzenie nie będzie już chronione tą licencją, a zajmowane przez nie miejsce zostanie zwolnione dla innego urządzenia. Aby ponownie używać tej licencji na tym urządzeniu, potrzebny będzie jej kod aktywacyjny.</translation>
    </message>
    <message>
        <source>Remove the license?</source>
        <translation>Usunąć licencję?</translation>
    </message>
    <message>
        <source>Standby has not written a log file on this computer yet.</source>
        <translation>Standby nie utworzył jeszcze na tym komputerze pliku dziennika.</translation>
    </message>
    <message>
        <source>No log file</source>
        <translation>Brak pliku dziennika</translation>
    </message>
    <message>
        <source>What Standby does is written to its log file: %1</source>
        <translation>Działania aplikacji Standby są zapisywane w pliku dziennika: %1</translation>
    </message>
    <message>
        <source>Standby %1. Manages this device’s license and its reserve activation code.</source>
        <translation>Standby %1. Zarządza licencją tego urządzenia i zapasowym kodem aktywacyjnym.</translation>
    </message>
    <message>
        <source>Open the log file</source>
        <translation>Otwórz plik dziennika</translation>
    </message>
    <message>
        <source>Your reserve activation code needs this device to be connected to your account. Sign in, and Standby activates it at once.</source>
        <translation>Zapasowy kod aktywacyjny wymaga połączenia tego urządzenia z Twoim kontem. Zaloguj się, a Standby od razu go aktywuje.</translation>
    </message>
    <message>
        <source>Standby keeps running here and renews your license on time. To end it, choose Quit Standby in this icon's menu.</source>
        <translation>Aplikacja Standby nadal działa w tym miejscu i w porę odnowi licencję. Aby ją zamknąć, wybierz „Zakończ Standby” w menu tej ikony.</translation>
    </message>
    <message>
        <source>Standby could not start</source>
        <translation>Nie udało się uruchomić programu Standby</translation>
    </message>
    <message>
        <source>Something on this computer stopped Standby from starting: %1. Restarting the computer may help; if it does not, reinstall Standby.</source>
        <translation>Coś na tym komputerze uniemożliwiło uruchomienie programu Standby: %1. Może pomóc ponowne uruchomienie komputera; jeśli nie pomoże, zainstaluj Standby ponownie.</translation>
    </message>
</context>
<context>
    <name>NavColumn</name>
    <message>
        <source>Home</source>
        <translation>Strona główna</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Skanowanie</translation>
    </message>
    <message>
        <source>Protection</source>
        <translation>Ochrona</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>Not part of this version of Standby</source>
        <translation>Ta funkcja nie jest dostępna w tej wersji aplikacji Standby</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Pomoc</translation>
    </message>
    <message>
        <source>Your account on the web</source>
        <translation>Twoje konto w internecie</translation>
    </message>
    <message>
        <source>Open the log file</source>
        <translation>Otwórz plik dziennika</translation>
    </message>
    <message>
        <source>About Standby</source>
        <translation>O aplikacji Standby</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Wersja %1</translation>
    </message>
    <message>
        <source>current page</source>
        <translation>bieżąca strona</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>License details</source>
        <translation>Szczegóły licencji</translation>
    </message>
    <message>
        <source>Enter activation code</source>
        <translation>Wprowadź kod aktywacyjny</translation>
    </message>
    <message>
        <source>Reserve code activated</source>
        <translation>Kod zapasowy został aktywowany</translation>
    </message>
    <message>
        <source>Your reserve activation code has been activated. You are protected until %1.</source>
        <translation>Zapasowy kod aktywacyjny został aktywowany. Urządzenie jest chronione do %1.</translation>
    </message>
    <message>
        <source>Reserve code not activated</source>
        <translation>Nie udało się aktywować kodu zapasowego</translation>
    </message>
    <message>
        <source>Your reserve activation code could not be activated. %1</source>
        <translation>Nie udało się aktywować zapasowego kodu aktywacyjnego. %1</translation>
    </message>
    <message>
        <source>Your license ends soon</source>
        <translation>Licencja wkrótce wygaśnie</translation>
    </message>
    <message>
        <source>Your license ends soon (%1). Enter a new activation code: it waits as a reserve code and takes over by itself.</source>
        <translation>Licencja wkrótce wygaśnie (%1). Wprowadź nowy kod aktywacyjny: zostanie zapisany jako kod zapasowy i automatycznie przejmie ochronę.</translation>
    </message>
    <message>
        <source>License expired</source>
        <translation>Licencja wygasła</translation>
    </message>
    <message>
        <source>Your license has expired and this device is no longer protected. Enter a new activation code.</source>
        <translation>Licencja wygasła i to urządzenie nie jest już chronione. Wprowadź nowy kod aktywacyjny.</translation>
    </message>
    <message>
        <source>Your license has been blocked.</source>
        <translation>Licencja została zablokowana.</translation>
    </message>
    <message>
        <source>License blocked</source>
        <translation>Licencja została zablokowana</translation>
    </message>
    <message>
        <source>You can switch to your reserve code now.</source>
        <translation>Możesz teraz przełączyć się na kod zapasowy.</translation>
    </message>
    <message>
        <source>The activation server no longer holds a license for this device (it was removed from it elsewhere). Enter an activation code to protect it again.</source>
        <translation>Serwer aktywacji nie ma już licencji dla tego urządzenia (została usunięta w innym miejscu). Wprowadź kod aktywacyjny, aby ponownie je chronić.</translation>
    </message>
    <message>
        <source>This device's license was released from your account on the web.</source>
        <translation>Licencja tego urządzenia została zwolniona z Twojego konta w internecie.</translation>
    </message>
    <message>
        <source>Enter an activation code to protect it again.</source>
        <translation>Wprowadź kod aktywacyjny, aby ponownie chronić to urządzenie.</translation>
    </message>
    <message>
        <source>To protect it again, activate your reserve code in License details, or enter another activation code.</source>
        <translation>Aby ponownie chronić to urządzenie, aktywuj zapasowy kod aktywacyjny w oknie „Szczegóły licencji” lub wprowadź inny kod aktywacyjny.</translation>
    </message>
    <message>
        <source>License released from your account</source>
        <translation>Licencja zwolniona z Twojego konta</translation>
    </message>
    <message>
        <source>The license was removed from this device.</source>
        <translation>Licencja została usunięta z tego urządzenia.</translation>
    </message>
    <message>
        <source>Your reserve code is being activated.</source>
        <translation>Trwa aktywacja kodu zapasowego.</translation>
    </message>
    <message>
        <source>License removed</source>
        <translation>Licencja została usunięta</translation>
    </message>
    <message>
        <source>Your reserve code will not take over</source>
        <translation>Kod zapasowy nie przejmie ochrony</translation>
    </message>
    <message>
        <source>%1 Enter another activation code before your license ends (%2).</source>
        <translation>%1 Wprowadź inny kod aktywacyjny, zanim licencja wygaśnie (%2).</translation>
    </message>
    <message>
        <source>This computer's clock is behind</source>
        <translation>Zegar tego komputera jest cofnięty</translation>
    </message>
    <message>
        <source>This computer's clock shows an earlier time than Standby has already seen. Your license dates are not affected. Set the clock to the correct time.</source>
        <translation>Zegar tego komputera pokazuje wcześniejszą godzinę niż ta, którą Standby już widział. Nie zmienia to dat Twojej licencji. Ustaw prawidłowy czas.</translation>
    </message>
    <message>
        <source>License not trusted</source>
        <translation>Licencja niezaufana</translation>
    </message>
    <message>
        <source>License data damaged</source>
        <translation>Uszkodzone dane licencji</translation>
    </message>
    <message>
        <source>License data restored</source>
        <translation>Dane licencji odtworzone</translation>
    </message>
    <message>
        <source>The activation server confirmed what this device holds, and Standby's license data is whole again.</source>
        <translation>Serwer aktywacji potwierdził, co należy do tego urządzenia, a dane licencji Standby są znów kompletne.</translation>
    </message>
    <message>
        <source>License data not saved</source>
        <translation>Dane licencji nie zostały zapisane</translation>
    </message>
    <message>
        <source>License not removed</source>
        <translation>Nie udało się usunąć licencji</translation>
    </message>
    <message>
        <source>The license was not removed. %1</source>
        <translation>Nie udało się usunąć licencji. %1</translation>
    </message>
</context>
<context>
    <name>ProfilePage</name>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Zaloguj się…</translation>
    </message>
    <message>
        <source>Sign in to your account</source>
        <translation>Zaloguj się na swoje konto</translation>
    </message>
    <message>
        <source>License information</source>
        <translation>Informacje o licencji</translation>
    </message>
    <message>
        <source>License</source>
        <translation>Licencja</translation>
    </message>
    <message>
        <source>License options</source>
        <translation>Opcje licencji</translation>
    </message>
    <message>
        <source>Enter activation code</source>
        <translation>Wprowadź kod aktywacyjny</translation>
    </message>
    <message>
        <source>License details</source>
        <translation>Szczegóły licencji</translation>
    </message>
    <message>
        <source>Check license status now</source>
        <translation>Sprawdź teraz stan licencji</translation>
    </message>
    <message>
        <source>Remove license…</source>
        <translation>Usuń licencję…</translation>
    </message>
    <message>
        <source>License state</source>
        <translation>Stan licencji</translation>
    </message>
    <message>
        <source>Reserve activation code</source>
        <translation>Zapasowy kod aktywacyjny</translation>
    </message>
    <message>
        <source>No password keyring: codes are kept in a private file (see License details).</source>
        <translation>Brak systemowego magazynu haseł: kody są przechowywane w prywatnym pliku (zobacz Szczegóły licencji).</translation>
    </message>
    <message>
        <source>Last confirmed with the activation server %1.</source>
        <translation>Ostatnio potwierdzono przez serwer aktywacji %1.</translation>
    </message>
    <message>
        <source>License status confirmed with the activation server %1.</source>
        <translation>Stan licencji potwierdzony przez serwer aktywacji %1.</translation>
    </message>
    <message>
        <source>License type</source>
        <translation>Typ licencji</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Wygasa</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Urządzenia</translation>
    </message>
    <message>
        <source>This device is connected to the account %1.</source>
        <translation>To urządzenie jest połączone z kontem %1.</translation>
    </message>
    <message>
        <source>Use another account…</source>
        <translation>Użyj innego konta…</translation>
    </message>
    <message>
        <source>This device is not connected to an account. Some activation codes need it: sign in with your e-mail address and password.</source>
        <translation>To urządzenie nie jest połączone z kontem. Niektóre kody aktywacyjne tego wymagają: zaloguj się, podając adres e-mail i hasło.</translation>
    </message>
    <message>
        <source>Checking your license…</source>
        <translation>Sprawdzanie licencji…</translation>
    </message>
    <message>
        <source>Expired on</source>
        <translation>Wygasła</translation>
    </message>
    <message>
        <source>%1 · takes over on %2</source>
        <translation>%1 · przejmie ochronę %2</translation>
    </message>
    <message>
        <source>Standby keeps trying.</source>
        <translation>Standby ponawia próby.</translation>
    </message>
    <message>
        <source>Activating your reserve code…</source>
        <translation>Aktywowanie kodu zapasowego…</translation>
    </message>
    <message>
        <source>Checking the license with the activation server…</source>
        <translation>Sprawdzanie licencji na serwerze aktywacji…</translation>
    </message>
    <message>
        <source>Your device is protected. Your reserve code takes over when this license ends.</source>
        <translation>Twoje urządzenie jest chronione. Gdy ta licencja wygaśnie, ochronę przejmie kod zapasowy.</translation>
    </message>
    <message>
        <source>Your device is protected.</source>
        <translation>Twoje urządzenie jest chronione.</translation>
    </message>
    <message>
        <source>Your license ends soon. Your reserve code takes over by itself, so you stay protected.</source>
        <translation>Licencja wkrótce wygaśnie. Kod zapasowy automatycznie przejmie ochronę, więc urządzenie pozostanie chronione.</translation>
    </message>
    <message>
        <source>Your license ends soon. Enter a new activation code now: it waits as a reserve code and takes over by itself.</source>
        <translation>Licencja wkrótce wygaśnie. Wprowadź teraz nowy kod aktywacyjny: zostanie zapisany jako kod zapasowy i automatycznie przejmie ochronę.</translation>
    </message>
    <message>
        <source>Your license has been blocked. Open “License details” and choose “Activate now” to switch to your reserve code.</source>
        <translation>Licencja została zablokowana. Otwórz okno „Szczegóły licencji” i kliknij „Aktywuj teraz”, aby przełączyć się na kod zapasowy.</translation>
    </message>
    <message>
        <source>Your license has been blocked. Enter a new activation code.</source>
        <translation>Licencja została zablokowana. Wprowadź nowy kod aktywacyjny.</translation>
    </message>
    <message>
        <source>Your license has expired. Your device is not protected.</source>
        <translation>Licencja wygasła. Twoje urządzenie nie jest chronione.</translation>
    </message>
    <message>
        <source>Your device is not protected. Enter an activation code to activate Standby.</source>
        <translation>Twoje urządzenie nie jest chronione. Wprowadź kod aktywacyjny, aby aktywować aplikację Standby.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in</source>
        <extracomment>A link that is a button: reached with Tab, pressed with Space; drawn as a link.</extracomment>
        <translation>Zaloguj się</translation>
    </message>
    <message>
        <source>Sign in to your account</source>
        <translation>Zaloguj się na swoje konto</translation>
    </message>
    <message>
        <source>Connecting this device to your account lets it use activation codes that need an account.</source>
        <translation>Po połączeniu tego urządzenia z Twoim kontem można na nim używać kodów aktywacyjnych, które wymagają konta.</translation>
    </message>
    <message>
        <source>Waiting for the activation server</source>
        <translation>Oczekiwanie na serwer aktywacji</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>nazwa@przyklad.pl</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>Adres e-mail</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Hasło</translation>
    </message>
    <message>
        <source>Code from the e-mail</source>
        <translation>Kod z e-maila</translation>
    </message>
    <message>
        <source>The 6 digits of the one-time code</source>
        <translation>6 cyfr kodu jednorazowego</translation>
    </message>
    <message>
        <source>&amp;E-mail address</source>
        <translation>Adres &amp;e-mail</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Hasło</translation>
    </message>
    <message>
        <source>C&amp;ode from the e-mail</source>
        <translation>&amp;Kod z e-maila</translation>
    </message>
    <message>
        <source>Forgot password?</source>
        <translation>Nie pamiętasz hasła?</translation>
    </message>
    <message>
        <source>Opens a web page that e-mails you a link to set a new password</source>
        <translation>Otwiera stronę internetową, która wyśle Ci e-mailem link do ustawienia nowego hasła</translation>
    </message>
    <message>
        <source>E-mail me a code</source>
        <translation>Wyślij mi kod e-mailem</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>That code is not right, or it has expired. Check the e-mail and type the code again, or have another one sent.</source>
        <translation>Ten kod jest nieprawidłowy albo wygasł. Sprawdź e-mail i wpisz kod jeszcze raz albo poproś o nowy.</translation>
    </message>
    <message>
        <source>Send another code</source>
        <translation>Wyślij nowy kod</translation>
    </message>
    <message>
        <source>Enter a valid e-mail address.</source>
        <translation>Wprowadź prawidłowy adres e-mail.</translation>
    </message>
    <message numerus="yes">
        <source>Too many sign-ins failed from this network in a short time. Try again in about %n minute(s).</source>
        <translation>
            <numerusform>Z tej sieci w krótkim czasie nie powiodło się zbyt wiele logowań. Spróbuj ponownie za około %n minuty.</numerusform>
            <numerusform>Z tej sieci w krótkim czasie nie powiodło się zbyt wiele logowań. Spróbuj ponownie za około %n minut.</numerusform>
            <numerusform>Z tej sieci w krótkim czasie nie powiodło się zbyt wiele logowań. Spróbuj ponownie za około %n minut.</numerusform>
        </translation>
    </message>
    <message>
        <source>Someone has been trying wrong passwords for this account, so signing in from a new device is paused. We can e-mail you a one-time code to sign in now.</source>
        <translation>Ktoś próbował zalogować się na to konto, podając błędne hasła, dlatego logowanie z nowego urządzenia jest wstrzymane. Możemy wysłać Ci e-mailem jednorazowy kod, żeby zalogować się teraz.</translation>
    </message>
    <message>
        <source>We e-mailed a one-time code to %1. It is valid for 10 minutes: type it in Code from the e-mail, then choose Sign in.</source>
        <translation>Wysłaliśmy jednorazowy kod na adres %1. Jest ważny przez 10 minut: wpisz go w polu Kod z e-maila, a potem wybierz Zaloguj się.</translation>
    </message>
    <message numerus="yes">
        <source>A code was e-mailed to this address a short while ago: use that one, or ask for another in about %n minute(s).</source>
        <translation>
            <numerusform>Kod został wysłany na ten adres przed chwilą: użyj go albo poproś o nowy za około %n minuty.</numerusform>
            <numerusform>Kod został wysłany na ten adres przed chwilą: użyj go albo poproś o nowy za około %n minut.</numerusform>
            <numerusform>Kod został wysłany na ten adres przed chwilą: użyj go albo poproś o nowy za około %n minut.</numerusform>
        </translation>
    </message>
    <message>
        <source>This activation server does not send e-mail, so no code can be sent. Wait a while, then sign in again with your password. If you have forgotten it, choose Forgot password?: the page says how to get a new one.</source>
        <translation>Ten serwer aktywacji nie wysyła e-maili, więc nie można wysłać kodu. Odczekaj chwilę, a potem zaloguj się ponownie swoim hasłem. Jeśli go nie pamiętasz, wybierz Nie pamiętasz hasła? – strona podpowie, jak ustawić nowe.</translation>
    </message>
    <message numerus="yes">
        <source>This activation server does not send e-mail, so no code can be sent. Wait about %n minute(s), then sign in again with your password. If you have forgotten it, choose Forgot password?: the page says how to get a new one.</source>
        <translation>
            <numerusform>Ten serwer aktywacji nie wysyła e-maili, więc nie można wysłać kodu. Odczekaj około %n minuty, a potem zaloguj się ponownie swoim hasłem. Jeśli go nie pamiętasz, wybierz Nie pamiętasz hasła? – strona podpowie, jak ustawić nowe.</numerusform>
            <numerusform>Ten serwer aktywacji nie wysyła e-maili, więc nie można wysłać kodu. Odczekaj około %n minut, a potem zaloguj się ponownie swoim hasłem. Jeśli go nie pamiętasz, wybierz Nie pamiętasz hasła? – strona podpowie, jak ustawić nowe.</numerusform>
            <numerusform>Ten serwer aktywacji nie wysyła e-maili, więc nie można wysłać kodu. Odczekaj około %n minut, a potem zaloguj się ponownie swoim hasłem. Jeśli go nie pamiętasz, wybierz Nie pamiętasz hasła? – strona podpowie, jak ustawić nowe.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StartupSwitch</name>
    <message>
        <source>Start-up</source>
        <translation>Uruchamianie</translation>
    </message>
    <message>
        <source>Start Standby when I log in</source>
        <translation>Uruchamiaj Standby po zalogowaniu</translation>
    </message>
    <message>
        <source>Standby then renews your license on time even when you never open it.</source>
        <translation>Standby odnowi wtedy licencję na czas, nawet jeśli nigdy go nie otworzysz.</translation>
    </message>
    <message>
        <source>Start this device at login instead</source>
        <translation>Uruchamiaj po zalogowaniu to urządzenie</translation>
    </message>
    <message>
        <source>the activation server %1</source>
        <translation>serwerem aktywacji %1</translation>
    </message>
    <message>
        <source>its built-in activation server</source>
        <translation>wbudowanym serwerem aktywacji</translation>
    </message>
    <message>
        <source>At login, Standby starts another device instead of this one: the data folder %1, with %2.</source>
        <translation>Po zalogowaniu Standby uruchamia inne urządzenie zamiast tego: folder danych %1, z %2.</translation>
    </message>
    <message>
        <source>the default folder</source>
        <translation>folder domyślny</translation>
    </message>
    <message>
        <source>Standby could not change what starts when you log in: %1</source>
        <translation>Standby nie mógł zmienić programów uruchamianych po zalogowaniu: %1</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>No license</source>
        <translation>Brak licencji</translation>
    </message>
    <message>
        <source>Trial</source>
        <translation>Wersja próbna</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktywna</translation>
    </message>
    <message>
        <source>Expires soon</source>
        <translation>Wkrótce wygaśnie</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Wygasła</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Zablokowana</translation>
    </message>
    <message>
        <source>Standard license</source>
        <translation>Licencja standardowa</translation>
    </message>
    <message>
        <source>Trial license</source>
        <translation>Licencja próbna</translation>
    </message>
    <message>
        <source>Subscription</source>
        <translation>Subskrypcja</translation>
    </message>
    <message>
        <source>This code can only be activated until a date before your current license ends, so it could not take over from it.</source>
        <translation>Termin aktywacji tego kodu upływa przed wygaśnięciem bieżącej licencji, więc kod nie mógłby jej zastąpić.</translation>
    </message>
    <message>
        <source>This is the activation code your current license was activated with.</source>
        <translation>Tym kodem aktywacyjnym została aktywowana Twoja obecna licencja.</translation>
    </message>
    <message>
        <source>This activation code is already saved as your reserve code.</source>
        <translation>Ten kod aktywacyjny jest już zapisany jako Twój kod zapasowy.</translation>
    </message>
    <message>
        <source>This is not a valid activation code. Check it for typing mistakes.</source>
        <translation>To nie jest prawidłowy kod aktywacyjny. Sprawdź, czy nie ma w nim literówek.</translation>
    </message>
    <message>
        <source>This activation code can no longer be activated: its validity has ended.</source>
        <translation>Tego kodu aktywacyjnego nie można już aktywować: upłynął termin jego ważności.</translation>
    </message>
    <message>
        <source>This activation code has been blocked and cannot be used.</source>
        <translation>Ten kod aktywacyjny został zablokowany i nie można go użyć.</translation>
    </message>
    <message>
        <source>This activation code is already in use on all the devices it covers. Remove it from a device you no longer use, then try again.</source>
        <translation>Ten kod aktywacyjny jest już używany na wszystkich urządzeniach, które obejmuje. Usuń go z urządzenia, którego już nie używasz, a następnie spróbuj ponownie.</translation>
    </message>
    <message>
        <source>This activation code is not valid for this version of Standby.</source>
        <translation>Ten kod aktywacyjny nie jest zgodny z tą wersją aplikacji Standby.</translation>
    </message>
    <message>
        <source>This activation code needs this device to be connected to your account. Sign in, then try again.</source>
        <translation>Ten kod aktywacyjny wymaga połączenia tego urządzenia z Twoim kontem. Zaloguj się, a następnie spróbuj ponownie.</translation>
    </message>
    <message>
        <source>You cannot add a reserve code while you use a subscription: a subscription renews by itself.</source>
        <translation>Nie możesz dodać kodu zapasowego, gdy korzystasz z subskrypcji: subskrypcja odnawia się automatycznie.</translation>
    </message>
    <message>
        <source>A trial or subscription code cannot be saved as a reserve code.</source>
        <translation>Kodu wersji próbnej ani kodu subskrypcji nie można zapisać jako kodu zapasowego.</translation>
    </message>
    <message>
        <source>A reserve code is already saved. To save a different one, first remove the saved one in License details.</source>
        <translation>Kod zapasowy jest już zapisany. Aby zapisać inny, najpierw usuń zapisany kod w oknie „Szczegóły licencji”.</translation>
    </message>
    <message>
        <source>This activation code is already in use on this device or saved as its reserve code.</source>
        <translation>Ten kod aktywacyjny jest już używany na tym urządzeniu albo zapisany na nim jako kod zapasowy.</translation>
    </message>
    <message>
        <source>Standby could not save the license data on this computer. Check that there is free disk space and that your password keyring is unlocked, then try again.</source>
        <translation>Nie udało się zapisać danych licencji na tym komputerze. Sprawdź, czy na dysku jest wolne miejsce i czy systemowy magazyn haseł jest odblokowany, a następnie spróbuj ponownie.</translation>
    </message>
    <message>
        <source>This code would not extend your protection: it expires no later than your current license.</source>
        <translation>Ten kod nie przedłużyłby ochrony: wygasa nie później niż bieżąca licencja.</translation>
    </message>
    <message>
        <source>We could not find this activation code. Check that you typed it exactly as it appears in your purchase confirmation. A code bought in the last 24 hours may not be known yet: try again later.</source>
        <translation>Nie znaleziono tego kodu aktywacyjnego. Sprawdź, czy został wpisany dokładnie tak, jak w potwierdzeniu zakupu. Kod kupiony w ciągu ostatnich 24 godzin może nie być jeszcze znany: spróbuj ponownie później.</translation>
    </message>
    <message>
        <source>Too many attempts in a short time. Wait a moment, then try again.</source>
        <translation>Zbyt wiele prób w krótkim czasie. Zaczekaj chwilę, a następnie spróbuj ponownie.</translation>
    </message>
    <message>
        <source>The e-mail address or the password is not correct.</source>
        <translation>Nieprawidłowy adres e-mail lub hasło.</translation>
    </message>
    <message>
        <source>The activation server could not confirm that this computer is the one the license belongs to. This happens when Standby's data was copied here from another computer, or when the computer's clock is far off. Check the clock; if it is right, contact support.</source>
        <translation>Serwer aktywacji nie mógł potwierdzić, że ten komputer jest tym, do którego należy licencja. Dzieje się tak, gdy dane Standby zostały skopiowane z innego komputera albo gdy zegar komputera znacznie się spieszy lub spóźnia. Sprawdź zegar; jeśli jest ustawiony prawidłowo, skontaktuj się z pomocą techniczną.</translation>
    </message>
    <message>
        <source>The activation server did not accept the request. Check what you entered.</source>
        <translation>Serwer aktywacji nie przyjął żądania. Sprawdź wprowadzone dane.</translation>
    </message>
    <message>
        <source>The activation server had a problem. Try again later.</source>
        <translation>Na serwerze aktywacji wystąpił problem. Spróbuj ponownie później.</translation>
    </message>
    <message>
        <source>The activation server's answer could not be verified, so it was not used. Try again later.</source>
        <translation>Nie udało się zweryfikować odpowiedzi serwera aktywacji, dlatego nie została użyta. Spróbuj ponownie później.</translation>
    </message>
    <message>
        <source>The reserve code is no longer stored on this device. Remove it and enter it again.</source>
        <translation>Kod zapasowy nie jest już przechowywany na tym urządzeniu. Usuń go i wprowadź ponownie.</translation>
    </message>
    <message>
        <source>Standby cannot write to its data folder (the disk may be full, or the folder read-only), so nothing was changed. Free some disk space or check the folder's permissions, then try again.</source>
        <translation>Standby nie może zapisywać w swoim folderze danych (dysk może być pełny albo folder tylko do odczytu), dlatego nic nie zostało zmienione. Zwolnij miejsce na dysku albo sprawdź uprawnienia folderu i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>Something went wrong. Try again later.</source>
        <translation>Coś poszło nie tak. Spróbuj ponownie później.</translation>
    </message>
    <message>
        <source>This device's key is missing from your password keyring, so the activation server can no longer tell that this computer is this device. Your license keeps working until it ends. If the keyring was reset, restore it from a backup; otherwise ask support to free this device's seat, then enter your activation code again.</source>
        <translation>W magazynie haseł brakuje klucza tego urządzenia, więc serwer aktywacji nie może już rozpoznać, że ten komputer to to urządzenie. Licencja działa do końca swojego okresu. Jeśli magazyn haseł został wyczyszczony, przywróć go z kopii zapasowej; w przeciwnym razie poproś pomoc techniczną o zwolnienie miejsca tego urządzenia, a potem ponownie wprowadź kod aktywacyjny.</translation>
    </message>
    <message>
        <source>The saved license was changed outside Standby or was not signed by your activation server, so it is not used. Standby is asking the activation server for your license.</source>
        <translation>Zapisana licencja została zmieniona poza aplikacją Standby albo nie została podpisana przez Twój serwer aktywacji, dlatego nie jest używana. Standby pyta serwer aktywacji o Twoją licencję.</translation>
    </message>
    <message>
        <source>Standby's saved license data was damaged. Standby is asking the activation server what this device holds; nothing you paid for is lost.</source>
        <translation>Zapisane dane licencji Standby zostały uszkodzone. Standby pyta serwer aktywacji, co należy do tego urządzenia; nic, za co zapłacono, nie przepadnie.</translation>
    </message>
    <message>
        <source>Standby cannot write to its data folder: changes made now would be lost when Standby restarts. Free some disk space or check the folder's permissions.</source>
        <translation>Standby nie może zapisywać w swoim folderze danych: zmiany wprowadzone teraz zostałyby utracone po ponownym uruchomieniu. Zwolnij miejsce na dysku albo sprawdź uprawnienia folderu.</translation>
    </message>
    <message>
        <source>The activation server (%1) is not accepting connections: it may be stopped or still starting.</source>
        <translation>Serwer aktywacji (%1) nie przyjmuje połączeń: może być zatrzymany albo jeszcze się uruchamia.</translation>
    </message>
    <message>
        <source>The activation server's address (%1) cannot be found. Check your internet connection.</source>
        <translation>Nie można odnaleźć adresu serwera aktywacji (%1). Sprawdź połączenie z internetem.</translation>
    </message>
    <message>
        <source>The activation server (%1) did not answer in time. Check your internet connection.</source>
        <translation>Serwer aktywacji (%1) nie odpowiedział na czas. Sprawdź połączenie z internetem.</translation>
    </message>
    <message>
        <source>A secure connection to the activation server (%1) could not be made. Check that this computer's date and time are right.</source>
        <translation>Nie udało się nawiązać bezpiecznego połączenia z serwerem aktywacji (%1). Sprawdź, czy data i godzina na tym komputerze są prawidłowe.</translation>
    </message>
    <message>
        <source>The server at %1 did not answer as an activation server. Check the server address.</source>
        <translation>Serwer pod adresem %1 nie odpowiedział jak serwer aktywacji. Sprawdź adres serwera.</translation>
    </message>
    <message>
        <source>The activation server on this computer (%1) did not answer in time: it may be busy, or stopped.</source>
        <translation>Serwer aktywacji na tym komputerze (%1) nie odpowiedział na czas: może być zajęty lub zatrzymany.</translation>
    </message>
    <message>
        <source>This device's licenses were released from your account on the web.</source>
        <translation>Licencje tego urządzenia zostały zwolnione z Twojego konta w internecie.</translation>
    </message>
    <message>
        <source>Standby cannot reach the activation server on this computer (%1): it may be stopped.</source>
        <translation>Standby nie może połączyć się z serwerem aktywacji na tym komputerze (%1): może być zatrzymany.</translation>
    </message>
    <message>
        <source>Standby cannot reach the activation server (%1). Check your internet connection.</source>
        <translation>Standby nie może połączyć się z serwerem aktywacji (%1). Sprawdź połączenie z internetem.</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1 o %2</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>wygasła</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) left</source>
        <translation>
            <numerusform>pozostał %n dzień</numerusform>
            <numerusform>pozostały %n dni</numerusform>
            <numerusform>pozostało %n dni</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) left</source>
        <translation>
            <numerusform>pozostała %n godzina</numerusform>
            <numerusform>pozostały %n godziny</numerusform>
            <numerusform>pozostało %n godzin</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) left</source>
        <translation>
            <numerusform>pozostała %n minuta</numerusform>
            <numerusform>pozostały %n minuty</numerusform>
            <numerusform>pozostało %n minut</numerusform>
        </translation>
    </message>
    <message>
        <source>less than a minute left</source>
        <translation>pozostała niecała minuta</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>przed chwilą</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n minutę temu</numerusform>
            <numerusform>%n minuty temu</numerusform>
            <numerusform>%n minut temu</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n godzinę temu</numerusform>
            <numerusform>%n godziny temu</numerusform>
            <numerusform>%n godzin temu</numerusform>
        </translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>dnia %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n dzień</numerusform>
            <numerusform>%n dni</numerusform>
            <numerusform>%n dni</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n godzina</numerusform>
            <numerusform>%n godziny</numerusform>
            <numerusform>%n godzin</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuta</numerusform>
            <numerusform>%n minuty</numerusform>
            <numerusform>%n minut</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n sekunda</numerusform>
            <numerusform>%n sekundy</numerusform>
            <numerusform>%n sekund</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n device(s)</source>
        <translation>
            <numerusform>%n urządzenie</numerusform>
            <numerusform>%n urządzenia</numerusform>
            <numerusform>%n urządzeń</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n device(s) in use</source>
        <translation>
            <numerusform>%1 z %n urządzenia w użyciu</numerusform>
            <numerusform>%1 z %n urządzeń w użyciu</numerusform>
            <numerusform>%1 z %n urządzeń w użyciu</numerusform>
        </translation>
    </message>
    <message>
        <source>Activating…</source>
        <translation>Trwa aktywacja…</translation>
    </message>
    <message>
        <source>Not activated by itself: this device's license was released from your account on the web.</source>
        <translation>Nie zostanie aktywowany automatycznie: licencja tego urządzenia została zwolniona z Twojego konta w internecie.</translation>
    </message>
    <message>
        <source>Waiting for the activation server. Standby tries again by itself.</source>
        <translation>Oczekiwanie na serwer aktywacji. Standby automatycznie spróbuje ponownie.</translation>
    </message>
    <message>
        <source>Activation failed: %1</source>
        <translation>Aktywacja nie powiodła się: %1</translation>
    </message>
    <message>
        <source>Ready: it takes over even with no internet connection</source>
        <translation>Gotowy: przejmie ochronę nawet bez połączenia z internetem</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Zapisany</translation>
    </message>
</context>
</TS>