; Inno Setup script: the Windows installer of counter_app (Inno Setup 6).
; Input: the PyInstaller folder dist\counter-app (counter-app.spec). build.ps1 runs both.
; Components: the server (a Windows service with a firewall rule for its port) and the
; station windows; each station can start with Windows. The fixed AppId makes a newer
; installer replace an installed one in place. docs/INSTALL.md.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "counter_app"
#define ServerPort "8750"
#define ServiceName "counter-app-server"

[Setup]
; Never change: Windows finds the installed copy by it (upgrades in place).
AppId={{6C0B7E59-3A7D-4F0E-9E0B-1F6A3C2D8E41}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=The counter_app authors
DefaultDirName={autopf}\counter-app
DefaultGroupName=counter_app
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=counter-app-{#AppVersion}-setup
SetupIconFile=..\icons\counter-app.ico
UninstallDisplayIcon={app}\counter-app.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
LicenseFile=..\..\LICENSE

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "id"; MessagesFile: "compiler:Languages\Indonesian.isl"

[Types]
Name: "server"; Description: "Server (the office's central PC)"
Name: "station"; Description: "Station (a counter, TV, kiosk or supervisor PC)"
Name: "full"; Description: "Everything on one PC"
Name: "custom"; Description: "Custom"; Flags: iscustom

[Components]
Name: "server"; Description: "Server (Windows service, port {#ServerPort})"; Types: server full
Name: "counter"; Description: "Counter window"; Types: station full
Name: "display"; Description: "Waiting-room TV"; Types: station full
Name: "kiosk"; Description: "Ticket kiosk"; Types: station full
Name: "supervisor"; Description: "Supervisor's board and reports"; Types: station full

[Tasks]
Name: "autostart_counter"; Description: "Start the counter window when Windows starts"; Components: counter; Flags: unchecked
Name: "autostart_display"; Description: "Start the waiting-room TV when Windows starts"; Components: display; Flags: unchecked
Name: "autostart_kiosk"; Description: "Start the ticket kiosk when Windows starts"; Components: kiosk; Flags: unchecked
Name: "autostart_supervisor"; Description: "Start the supervisor's board when Windows starts"; Components: supervisor; Flags: unchecked

[Files]
; One program folder for every component (the windows and the server share the libraries).
Source: "..\..\dist\counter-app\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\..\docs\INSTALL.md"; DestDir: "{app}"; Flags: ignoreversion

[Dirs]
; The server's data and settings; not removed on uninstall (the office's records).
Name: "{commonappdata}\counter-app"; Components: server; Flags: uninsneveruninstall

[Icons]
Name: "{group}\Counter"; Filename: "{app}\counter-app-gui.exe"; Parameters: "counter"; Components: counter
Name: "{group}\Waiting-room TV"; Filename: "{app}\counter-app-gui.exe"; Parameters: "display"; Components: display
Name: "{group}\Ticket kiosk"; Filename: "{app}\counter-app-gui.exe"; Parameters: "kiosk"; Components: kiosk
Name: "{group}\Satisfaction survey"; Filename: "{app}\counter-app-gui.exe"; Parameters: "survey-tablet"; Components: display
Name: "{group}\Supervisor"; Filename: "{app}\counter-app-gui.exe"; Parameters: "supervisor"; Components: supervisor
Name: "{group}\Reports"; Filename: "{app}\counter-app-gui.exe"; Parameters: "reports"; Components: supervisor
Name: "{group}\Server in the browser"; Filename: "http://127.0.0.1:{#ServerPort}/docs"; Components: server
Name: "{group}\Uninstall counter_app"; Filename: "{uninstallexe}"
Name: "{commonstartup}\counter_app counter"; Filename: "{app}\counter-app-gui.exe"; Parameters: "counter"; Tasks: autostart_counter
Name: "{commonstartup}\counter_app TV"; Filename: "{app}\counter-app-gui.exe"; Parameters: "display"; Tasks: autostart_display
Name: "{commonstartup}\counter_app kiosk"; Filename: "{app}\counter-app-gui.exe"; Parameters: "kiosk"; Tasks: autostart_kiosk
Name: "{commonstartup}\counter_app supervisor"; Filename: "{app}\counter-app-gui.exe"; Parameters: "supervisor"; Tasks: autostart_supervisor

[Run]
; The service: (re)registered on every install, so an upgrade keeps it pointing here.
Filename: "{app}\counter-app-service.exe"; Parameters: "--startup auto install"; Components: server; Flags: runhidden waituntilterminated; StatusMsg: "Registering the server service..."
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""counter_app server"""; Components: server; Flags: runhidden waituntilterminated
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall add rule name=""counter_app server"" dir=in action=allow protocol=TCP localport={#ServerPort} program=""{app}\counter-app-service.exe"""; Components: server; Flags: runhidden waituntilterminated; StatusMsg: "Opening port {#ServerPort} in the firewall..."
; The first admin before the service starts (a console asks for the password).
Filename: "{app}\counter-app.exe"; Parameters: "init --db ""sqlite:///{commonappdata}\counter-app\counter_app.sqlite3"""; Components: server; Flags: waituntilterminated; Check: NeedsFirstAdmin; StatusMsg: "Creating the first admin..."
Filename: "{app}\counter-app-service.exe"; Parameters: "start"; Components: server; Flags: runhidden waituntilterminated; StatusMsg: "Starting the server..."

[UninstallRun]
Filename: "{app}\counter-app-service.exe"; Parameters: "stop"; Flags: runhidden waituntilterminated; RunOnceId: "StopService"
Filename: "{app}\counter-app-service.exe"; Parameters: "remove"; Flags: runhidden waituntilterminated; RunOnceId: "RemoveService"
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""counter_app server"""; Flags: runhidden waituntilterminated; RunOnceId: "FirewallRule"

[Code]
const
  SettingsFile = '{commonappdata}\counter-app\counter-app.env';

{ An upgrade stops the running service first, so its files can be replaced. }
function PrepareToInstall(var NeedsRestart: Boolean): String;
var
  ResultCode: Integer;
begin
  if FileExists(ExpandConstant('{app}\counter-app-service.exe')) then
    Exec(ExpandConstant('{app}\counter-app-service.exe'), 'stop', '', SW_HIDE,
      ewWaitUntilTerminated, ResultCode);
  Result := '';
end;

{ The server's settings (the same keys as on Linux), written once and then left alone. }
procedure CurStepChanged(CurStep: TSetupStep);
var
  Path: String;
begin
  if (CurStep = ssPostInstall) and WizardIsComponentSelected('server') then
  begin
    Path := ExpandConstant(SettingsFile);
    if not FileExists(Path) then
      SaveStringToFile(Path,
        '# counter_app server settings (COUNTER_APP_<NAME>=value); restart the service after a change.' + #13#10 +
        'COUNTER_APP_DB_URL=sqlite:///' + ExpandConstant('{commonappdata}') + '\counter-app\counter_app.sqlite3' + #13#10 +
        'COUNTER_APP_HOST=0.0.0.0' + #13#10 +
        'COUNTER_APP_PORT={#ServerPort}' + #13#10, False);
  end;
end;

{ The first admin is asked for only on a first install (no database yet). }
function NeedsFirstAdmin(): Boolean;
begin
  Result := not FileExists(ExpandConstant('{commonappdata}\counter-app\counter_app.sqlite3'));
end;
