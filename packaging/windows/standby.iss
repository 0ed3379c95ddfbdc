; Inno Setup script for Standby on Windows (Inno Setup 6.3 or newer). Build the one-folder bundle
; first, on Windows:
;     python packaging\build.py --onedir
; then compile this script from the repository root:
;     iscc /DAppVersion=1.0.0 packaging\windows\standby.iss
; The installer lands in dist\standby-<version>-windows-setup.exe. It installs for the
; current user (no administrator rights needed) unless the user chooses all users.

#ifndef AppVersion
  #error Pass the app's version: iscc /DAppVersion=<app.__version__> packaging\windows\standby.iss
#endif

[Setup]
AppId={{5E2D8C0B-6F7A-4C1E-9B3D-2A71F0C4D9E8}
AppName=Standby
AppVersion={#AppVersion}
AppPublisher=Standby
DefaultDirName={autopf}\Standby
DefaultGroupName=Standby
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=standby-{#AppVersion}-windows-setup
SetupIconFile=..\..\build\icons\standby.ico
UninstallDisplayIcon={app}\standby.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Standby keeps running in the tray: close it before files are replaced.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "polish"; MessagesFile: "compiler:Languages\Polish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "autostart"; Description: "Start Standby when I log in (keeps the reserve code ready)"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\standby\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Standby"; Filename: "{app}\standby.exe"
Name: "{autodesktop}\Standby"; Filename: "{app}\standby.exe"; Tasks: desktopicon

[Registry]
; The same per-user Run value the app's "Start Standby when I log in" switch writes
; (app/engine/autostart.py), so the two never start Standby twice; uninstalling removes it.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "Standby"; ValueData: """{app}\standby.exe"" --background"; Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\standby.exe"; Description: "{cm:LaunchProgram,Standby}"; Flags: nowait postinstall skipifsilent

; The license data stays in %LOCALAPPDATA%\standby when Standby is uninstalled.
