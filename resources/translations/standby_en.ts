<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_GB">
<context>
    <name>AccountPageDialog</name>
    <message>
        <source>Your account on the web</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The web page could not be opened</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No web browser on this computer could be started for Standby. Copy this address and open it in your web browser:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The address of your account's web page</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>AccountWords</name>
    <message>
        <source>Saved for all your devices in your account on the web.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This reserve code was saved in your account on the web, and the seat kept for this device is gone. Save the reserve code again in your account, or enter an activation code here.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ActivationCodeDialog</name>
    <message>
        <source>Activation codes never contain the letter U. Check the code again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>“%1” cannot be part of an activation code: codes contain only letters and digits.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An activation code has 20 letters and digits; you entered %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter activation code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Activation code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>20 letters and digits, as in your purchase confirmation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Clear the code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checking the code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checking the code with the activation server…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign in…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save activation code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A reserve activation code (%1) is already saved. A new code is checked first: only if it can take over when your license ends does it replace the saved one. Otherwise the saved code stays, and you are told why.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license is active. A new code is saved as your reserve activation code and activates by itself when the current license ends, so your protection never stops.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type or paste the code from your purchase confirmation to activate Standby.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 of 20 characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for your password keyring: it may be asking you to unlock it, or to create a keyring, in a window of its own.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled. The code was not added to this device.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby is activated. Your license is valid until %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved as your reserve activation code in place of %2. It activates by itself on %1, when your current license ends.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved as your reserve activation code. It activates by itself on %1, when your current license ends.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>This code covers %n device(s). To renew each of them automatically, enter it as the reserve code on every one of them.</source>
        <translation>
            <numerusform>This code covers %n device. To renew each of them automatically, enter it as the reserve code on every one of them.</numerusform><numerusform>This code covers %n devices. To renew each of them automatically, enter it as the reserve code on every one of them.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>This code covers %n device(s). Enter it on each device you want to protect.</source>
        <translation>
            <numerusform>This code covers %n device. Enter it on each device you want to protect.</numerusform><numerusform>This code covers %n devices. Enter it on each device you want to protect.</numerusform></translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Notification</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dismiss notification</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>CopyDialog</name>
    <message>
        <source>Copy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>DemoCodesDialog</name>
    <message>
        <source>Demo activation codes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>These codes were just issued by the activation server built into this copy of Standby. To watch a reserve code take over: activate the 3‑minute code, then enter the one-year code. It is saved as your reserve code and activates by itself when the 3 minutes are over.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The demo codes could not be issued: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Expires 3 minutes after activation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>One year</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>One year, for 3 devices</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Two years, needs an account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Account for the last code: %1, password %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>DeviceNameRow</name>
    <message>
        <source>Device name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The name this device has in your account on the web.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rename this device</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Renamed. Your account on the web shows the new name after the next check with the activation server.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Manage license</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checking your protection…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your device is protected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license is active.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your device stays protected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license ends soon, and your reserve code takes over by itself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license ends soon</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your reserve code could not be activated. See what to do in Profile.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fix it in Profile</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter a new activation code to stay protected: it waits as your reserve code and takes over by itself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter activation code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license has expired.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license has been blocked.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No license is active on this device.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your device is not protected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Home</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>LicenseDetailsDialog</name>
    <message>
        <source>License details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Current license</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Activation code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Activated on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Devices</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No license is active on this device.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reserve activation code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Term</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License valid until</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Takes over</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No reserve code is saved. While your license is active, a newly bought code entered with “Enter activation code” waits here and activates by itself when the license ends.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove reserve code…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Activate now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>After a purchase it can take up to 24 hours until the license status shown here is up to date.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Activation server</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Activation codes kept in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Check status now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove the reserve code?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby will no longer renew your license by itself with this code. You can enter it again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Expired on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The status has not been confirmed with the activation server yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last confirmed with the activation server: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(checking now…)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (a file only your user account can read; no password keyring)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>LogFileDialog</name>
    <message>
        <source>Standby's log file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The log file could not be opened</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No program on this computer opens text files for Standby. The log file is here; copy its path to open it another way, or to send it to support:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Where the log file is</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Open Standby</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quit Standby</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Demo activation codes…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About Standby</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This device will no longer be protected by this license, and its seat is freed for another device. Your reserve code then activates by itself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This device will no longer be protected by this license, and its seat is freed for another device. To use the license here again, you will need its activation code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove the license?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby has not written a log file on this computer yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No log file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>What Standby does is written to its log file: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby %1. Manages this device’s license and its reserve activation code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open the log file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your reserve activation code needs this device to be connected to your account. Sign in, and Standby activates it at once.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby keeps running here and renews your license on time. To end it, choose Quit Standby in this icon's menu.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby could not start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Something on this computer stopped Standby from starting: %1. Restarting the computer may help; if it does not, reinstall Standby.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>NavColumn</name>
    <message>
        <source>Home</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scan</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Protection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Profile</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not part of this version of Standby</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your account on the web</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open the log file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About Standby</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Version %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>current page</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>License details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter activation code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reserve code activated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your reserve activation code has been activated. You are protected until %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reserve code not activated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your reserve activation code could not be activated. %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license ends soon</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license ends soon (%1). Enter a new activation code: it waits as a reserve code and takes over by itself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License expired</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license has expired and this device is no longer protected. Enter a new activation code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license has been blocked.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License blocked</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>You can switch to your reserve code now.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The activation server no longer holds a license for this device (it was removed from it elsewhere). Enter an activation code to protect it again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This device's license was released from your account on the web.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter an activation code to protect it again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>To protect it again, activate your reserve code in License details, or enter another activation code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License released from your account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The license was removed from this device.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your reserve code is being activated.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License removed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your reserve code will not take over</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 Enter another activation code before your license ends (%2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This computer's clock is behind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This computer's clock shows an earlier time than Standby has already seen. Your license dates are not affected. Set the clock to the correct time.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License not trusted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License data damaged</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License data restored</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The activation server confirmed what this device holds, and Standby's license data is whole again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License data not saved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License not removed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The license was not removed. %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ProfilePage</name>
    <message>
        <source>Profile</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign in…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign in to your account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License information</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License options</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter activation code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Check license status now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove license…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reserve activation code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No password keyring: codes are kept in a private file (see License details).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last confirmed with the activation server %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License status confirmed with the activation server %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>License type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Devices</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This device is connected to the account %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use another account…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This device is not connected to an account. Some activation codes need it: sign in with your e-mail address and password.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checking your license…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Expired on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 · takes over on %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby keeps trying.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Activating your reserve code…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checking the license with the activation server…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your device is protected. Your reserve code takes over when this license ends.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your device is protected.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license ends soon. Your reserve code takes over by itself, so you stay protected.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license ends soon. Enter a new activation code now: it waits as a reserve code and takes over by itself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license has been blocked. Open “License details” and choose “Activate now” to switch to your reserve code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license has been blocked. Enter a new activation code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your license has expired. Your device is not protected.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your device is not protected. Enter an activation code to activate Standby.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in</source>
        <extracomment>A link that is a button: reached with Tab, pressed with Space; drawn as a link.</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign in to your account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting this device to your account lets it use activation codes that need an account.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for the activation server</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>name@example.com</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Code from the e-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The 6 digits of the one-time code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;E-mail address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Password</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>C&amp;ode from the e-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Forgot password?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Opens a web page that e-mails you a link to set a new password</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail me a code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>That code is not right, or it has expired. Check the e-mail and type the code again, or have another one sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send another code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter a valid e-mail address.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Too many sign-ins failed from this network in a short time. Try again in about %n minute(s).</source>
        <translation>
            <numerusform>Too many sign-ins failed from this network in a short time. Try again in about %n minute.</numerusform><numerusform>Too many sign-ins failed from this network in a short time. Try again in about %n minutes.</numerusform></translation>
    </message>
    <message>
        <source>Someone has been trying wrong passwords for this account, so signing in from a new device is paused. We can e-mail you a one-time code to sign in now.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>We e-mailed a one-time code to %1. It is valid for 10 minutes: type it in Code from the e-mail, then choose Sign in.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>A code was e-mailed to this address a short while ago: use that one, or ask for another in about %n minute(s).</source>
        <translation>
            <numerusform>A code was e-mailed to this address a short while ago: use that one, or ask for another in about %n minute.</numerusform><numerusform>A code was e-mailed to this address a short while ago: use that one, or ask for another in about %n minutes.</numerusform></translation>
    </message>
    <message>
        <source>This activation server does not send e-mail, so no code can be sent. Wait a while, then sign in again with your password. If you have forgotten it, choose Forgot password?: the page says how to get a new one.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>This activation server does not send e-mail, so no code can be sent. Wait about %n minute(s), then sign in again with your password. If you have forgotten it, choose Forgot password?: the page says how to get a new one.</source>
        <translation>
            <numerusform>This activation server does not send e-mail, so no code can be sent. Wait about %n minute, then sign in again with your password. If you have forgotten it, choose Forgot password?: the page says how to get a new one.</numerusform><numerusform>This activation server does not send e-mail, so no code can be sent. Wait about %n minutes, then sign in again with your password. If you have forgotten it, choose Forgot password?: the page says how to get a new one.</numerusform></translation>
    </message>
</context>
<context>
    <name>StartupSwitch</name>
    <message>
        <source>Start-up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Start Standby when I log in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby then renews your license on time even when you never open it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Start this device at login instead</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the activation server %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>its built-in activation server</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>At login, Standby starts another device instead of this one: the data folder %1, with %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the default folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby could not change what starts when you log in: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>No license</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Trial</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Expires soon</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Expired</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Blocked</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standard license</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Trial license</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Subscription</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This code can only be activated until a date before your current license ends, so it could not take over from it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This is the activation code your current license was activated with.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This activation code is already saved as your reserve code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This is not a valid activation code. Check it for typing mistakes.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This activation code can no longer be activated: its validity has ended.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This activation code has been blocked and cannot be used.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This activation code is already in use on all the devices it covers. Remove it from a device you no longer use, then try again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This activation code is not valid for this version of Standby.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This activation code needs this device to be connected to your account. Sign in, then try again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>You cannot add a reserve code while you use a subscription: a subscription renews by itself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A trial or subscription code cannot be saved as a reserve code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A reserve code is already saved. To save a different one, first remove the saved one in License details.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This activation code is already in use on this device or saved as its reserve code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The activation server could not confirm that this computer is the one the license belongs to. This happens when Standby's data was copied here from another computer, or when the computer's clock is far off. Check the clock; if it is right, contact support.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby could not save the license data on this computer. Check that there is free disk space and that your password keyring is unlocked, then try again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This code would not extend your protection: it expires no later than your current license.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>We could not find this activation code. Check that you typed it exactly as it appears in your purchase confirmation. A code bought in the last 24 hours may not be known yet: try again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Too many attempts in a short time. Wait a moment, then try again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The e-mail address or the password is not correct.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The activation server did not accept the request. Check what you entered.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The activation server had a problem. Try again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The activation server's answer could not be verified, so it was not used. Try again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The reserve code is no longer stored on this device. Remove it and enter it again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby cannot write to its data folder (the disk may be full, or the folder read-only), so nothing was changed. Free some disk space or check the folder's permissions, then try again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Something went wrong. Try again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This device's key is missing from your password keyring, so the activation server can no longer tell that this computer is this device. Your license keeps working until it ends. If the keyring was reset, restore it from a backup; otherwise ask support to free this device's seat, then enter your activation code again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The saved license was changed outside Standby or was not signed by your activation server, so it is not used. Standby is asking the activation server for your license.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby's saved license data was damaged. Standby is asking the activation server what this device holds; nothing you paid for is lost.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby cannot write to its data folder: changes made now would be lost when Standby restarts. Free some disk space or check the folder's permissions.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The activation server (%1) is not accepting connections: it may be stopped or still starting.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The activation server's address (%1) cannot be found. Check your internet connection.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The activation server (%1) did not answer in time. Check your internet connection.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A secure connection to the activation server (%1) could not be made. Check that this computer's date and time are right.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The server at %1 did not answer as an activation server. Check the server address.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The activation server on this computer (%1) did not answer in time: it may be busy, or stopped.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This device's licenses were released from your account on the web.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby cannot reach the activation server on this computer (%1): it may be stopped.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Standby cannot reach the activation server (%1). Check your internet connection.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expired</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n day(s) left</source>
        <translation>
            <numerusform>%n day left</numerusform><numerusform>%n days left</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) left</source>
        <translation>
            <numerusform>%n hour left</numerusform><numerusform>%n hours left</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) left</source>
        <translation>
            <numerusform>%n minute left</numerusform><numerusform>%n minutes left</numerusform></translation>
    </message>
    <message>
        <source>less than a minute left</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation><numerusform>%n minute ago</numerusform><numerusform>%n minutes ago</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation><numerusform>%n hour ago</numerusform><numerusform>%n hours ago</numerusform></translation>
    </message>
    <message>
        <source>on %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform><numerusform>%n days</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform><numerusform>%n hours</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform><numerusform>%n minutes</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform><numerusform>%n seconds</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n device(s)</source>
        <translation>
            <numerusform>%n device</numerusform><numerusform>%n devices</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n device(s) in use</source>
        <translation>
            <numerusform>%1 of %n device in use</numerusform><numerusform>%1 of %n devices in use</numerusform></translation>
    </message>
    <message>
        <source>Activating…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not activated by itself: this device's license was released from your account on the web.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for the activation server. Standby tries again by itself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Activation failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ready: it takes over even with no internet connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>