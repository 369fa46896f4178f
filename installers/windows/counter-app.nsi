; NSIS 3 script (Modern UI 2): the Windows installer of counter_app.
; Input: the PyInstaller folder dist\counter-app (counter-app.spec); build.ps1 runs both:
;   makensis /DVERSION=<counter_app.__version__> installers\windows\counter-app.nsi
; Optional: /DDIST=<the PyInstaller folder> /DOUTDIR=<where the setup .exe goes>.
; Components: the server (a Windows service with a firewall rule for its port) and the
; station windows; each station can start with Windows. The fixed APP_GUID names the
; uninstall registry key: a newer installer finds the installed copy there and replaces it
; in place. The office's data (%ProgramData%\counter-app) is kept unless the uninstaller is
; told otherwise. docs/INSTALL.md.
;
; Silent use (a technician's script), all optional:
;   counter-app-<version>-setup.exe /S /COMPONENTS=server,counter /AUTOSTART=counter
;   (an upgrade without /COMPONENTS keeps the installed choice)
;   Uninstall.exe /S [/REMOVEDATA]

Unicode true

!ifndef VERSION
  !error "give the version: makensis /DVERSION=<counter_app.__version__> (build.ps1 does)"
!endif
!ifndef DIST
  !define DIST "..\..\dist\counter-app"
!endif
!ifndef OUTDIR
  !define OUTDIR "..\..\dist"
!endif

; Never change: Windows and later installers find the installed copy by it (upgrades in place).
!define APP_GUID "{6C0B7E59-3A7D-4F0E-9E0B-1F6A3C2D8E41}"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_GUID}"
; An install made by the earlier Inno Setup installer (same AppId) is uninstalled first.
!define OLD_INNO_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_GUID}_is1"
; The same values `counter-app station install` writes (counter_app/station_install.py), but
; for every user of the PC (HKLM): counter-app-<sub-command> = "<gui exe>" <sub-command>.
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define APP_NAME "counter_app"
!define SERVER_PORT "8750"
!define SERVICE_EXE "counter-app-service.exe"
!define GUI_EXE "counter-app-gui.exe"
!define CLI_EXE "counter-app.exe"
!define FIREWALL_RULE "counter_app server"
!define DATA_DIR "$APPDATA\counter-app" ; $APPDATA is %ProgramData% under SetShellVarContext all
!define MENU_DIR "$SMPROGRAMS\counter_app"

; VIProductVersion wants four numbers: 0.1.0 -> 0.1.0.0.
!searchparse /noerrors "${VERSION}" "" V_MAJOR "." V_MINOR "." V_PATCH
!ifndef V_PATCH
  !error "VERSION must be <major>.<minor>.<patch>, not ${VERSION}"
!endif

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTDIR}\counter-app-${VERSION}-setup.exe"
InstallDir "$PROGRAMFILES64\counter-app"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
ManifestDPIAware true
ShowInstDetails show
ShowUninstDetails show
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${V_MAJOR}.${V_MINOR}.${V_PATCH}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} ${VERSION} setup"
VIAddVersionKey /LANG=1033 "CompanyName" "The counter_app authors"
VIAddVersionKey /LANG=1033 "LegalCopyright" "The counter_app authors"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "Sections.nsh"
!include "FileFunc.nsh"
!include "StrFunc.nsh"
!include "x64.nsh"
!include "nsDialogs.nsh"

${StrStr}

Var Upgrade        ; 1: an installed copy was found (its folder and choices are reused)
Var Auto_counter   ; 1: start that station window with Windows
Var Auto_display
Var Auto_kiosk
Var Auto_survey
Var Auto_supervisor
Var Box_counter
Var Box_display
Var Box_kiosk
Var Box_survey
Var Box_supervisor
Var RemoveData     ; uninstaller: 1 deletes %ProgramData%\counter-app
Var RemoveDataBox

!define MUI_ICON "..\icons\counter-app.ico"
!define MUI_UNICON "..\icons\counter-app.ico"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "..\..\LICENSE"
!insertmacro MUI_PAGE_COMPONENTS
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipDirectoryOnUpgrade
!insertmacro MUI_PAGE_DIRECTORY
Page custom AutostartPage AutostartPageLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPage un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default; Windows in Indonesian picks the second.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Indonesian"

LangString TypeServer ${LANG_ENGLISH} "Server (the office's central PC)"
LangString TypeServer ${LANG_INDONESIAN} "Server (PC pusat kantor)"
LangString TypeStation ${LANG_ENGLISH} "Station (a counter, TV, kiosk or supervisor PC)"
LangString TypeStation ${LANG_INDONESIAN} "Stasiun (PC loket, TV, kios atau supervisor)"
LangString TypeFull ${LANG_ENGLISH} "Everything on one PC"
LangString TypeFull ${LANG_INDONESIAN} "Semuanya di satu PC"

LangString SecServerName ${LANG_ENGLISH} "Server (Windows service)"
LangString SecServerName ${LANG_INDONESIAN} "Server (layanan Windows)"
LangString SecCounterName ${LANG_ENGLISH} "Counter window"
LangString SecCounterName ${LANG_INDONESIAN} "Jendela loket"
LangString SecDisplayName ${LANG_ENGLISH} "Waiting-room TV"
LangString SecDisplayName ${LANG_INDONESIAN} "TV ruang tunggu"
LangString SecKioskName ${LANG_ENGLISH} "Ticket kiosk"
LangString SecKioskName ${LANG_INDONESIAN} "Kios tiket"
LangString SecSurveyName ${LANG_ENGLISH} "Satisfaction survey screen"
LangString SecSurveyName ${LANG_INDONESIAN} "Layar survei kepuasan"
LangString SecSupervisorName ${LANG_ENGLISH} "Supervisor's board and reports"
LangString SecSupervisorName ${LANG_INDONESIAN} "Papan supervisor dan laporan"

LangString SecServerDesc ${LANG_ENGLISH} "The queue server as the Windows service counter-app-server, with a firewall rule for TCP port ${SERVER_PORT}. Data in %ProgramData%\counter-app."
LangString SecServerDesc ${LANG_INDONESIAN} "Server antrean sebagai layanan Windows counter-app-server, dengan aturan firewall untuk port TCP ${SERVER_PORT}. Data di %ProgramData%\counter-app."
LangString SecCounterDesc ${LANG_ENGLISH} "The officer's window at a counter (loket)."
LangString SecCounterDesc ${LANG_INDONESIAN} "Jendela petugas di loket."
LangString SecDisplayDesc ${LANG_ENGLISH} "The waiting-room TV: the called tickets, with voice calls."
LangString SecDisplayDesc ${LANG_INDONESIAN} "TV ruang tunggu: nomor yang dipanggil, dengan suara panggilan."
LangString SecKioskDesc ${LANG_ENGLISH} "The touch kiosk that prints the tickets."
LangString SecKioskDesc ${LANG_INDONESIAN} "Kios sentuh yang mencetak tiket."
LangString SecSurveyDesc ${LANG_ENGLISH} "The satisfaction survey on a counter's second screen or tablet."
LangString SecSurveyDesc ${LANG_INDONESIAN} "Survei kepuasan di layar kedua loket atau tablet."
LangString SecSupervisorDesc ${LANG_ENGLISH} "The supervisor's live board and the office's reports."
LangString SecSupervisorDesc ${LANG_INDONESIAN} "Papan langsung supervisor dan laporan kantor."

LangString LnkCounter ${LANG_ENGLISH} "Counter"
LangString LnkCounter ${LANG_INDONESIAN} "Loket"
LangString LnkDisplay ${LANG_ENGLISH} "Waiting-room TV"
LangString LnkDisplay ${LANG_INDONESIAN} "TV ruang tunggu"
LangString LnkKiosk ${LANG_ENGLISH} "Ticket kiosk"
LangString LnkKiosk ${LANG_INDONESIAN} "Kios tiket"
LangString LnkSurvey ${LANG_ENGLISH} "Satisfaction survey"
LangString LnkSurvey ${LANG_INDONESIAN} "Survei kepuasan"
LangString LnkSupervisor ${LANG_ENGLISH} "Supervisor"
LangString LnkSupervisor ${LANG_INDONESIAN} "Supervisor"
LangString LnkReports ${LANG_ENGLISH} "Reports"
LangString LnkReports ${LANG_INDONESIAN} "Laporan"
LangString LnkBrowser ${LANG_ENGLISH} "Server in the browser"
LangString LnkBrowser ${LANG_INDONESIAN} "Server di peramban"
LangString LnkUninstall ${LANG_ENGLISH} "Uninstall counter_app"
LangString LnkUninstall ${LANG_INDONESIAN} "Hapus counter_app"

LangString AutoTitle ${LANG_ENGLISH} "Start with Windows"
LangString AutoTitle ${LANG_INDONESIAN} "Mulai bersama Windows"
LangString AutoSubtitle ${LANG_ENGLISH} "Which window should open by itself when someone signs in to this PC?"
LangString AutoSubtitle ${LANG_INDONESIAN} "Jendela mana yang terbuka sendiri saat pengguna masuk ke PC ini?"
LangString AutoText ${LANG_ENGLISH} "Usually one per station PC: the counter on a counter's PC, the TV on the TV's PC, the kiosk on the kiosk. It waits for the server if the server is not up yet."
LangString AutoText ${LANG_INDONESIAN} "Biasanya satu per PC stasiun: loket di PC loket, TV di PC TV, kios di kios. Jendela menunggu server bila server belum menyala."

LangString MsgServiceFailed ${LANG_ENGLISH} "The server service could not be registered (exit code $0). See the details list."
LangString MsgServiceFailed ${LANG_INDONESIAN} "Layanan server tidak dapat didaftarkan (kode keluar $0). Lihat daftar rincian."
LangString MsgAdminFailed ${LANG_ENGLISH} "No first admin was created. Create one later in a console run as administrator: counter-app.exe init (in the program folder)."
LangString MsgAdminFailed ${LANG_INDONESIAN} "Admin pertama belum dibuat. Buat nanti di konsol sebagai administrator: counter-app.exe init (di folder program)."
LangString MsgNeeds64 ${LANG_ENGLISH} "counter_app needs 64-bit Windows."
LangString MsgNeeds64 ${LANG_INDONESIAN} "counter_app memerlukan Windows 64-bit."
LangString MsgOldUninstall ${LANG_ENGLISH} "Removing the earlier installation (its data stays)..."
LangString MsgOldUninstall ${LANG_INDONESIAN} "Menghapus instalasi sebelumnya (datanya tetap)..."

LangString DataTitle ${LANG_ENGLISH} "The office's data"
LangString DataTitle ${LANG_INDONESIAN} "Data kantor"
LangString DataSubtitle ${LANG_ENGLISH} "The database and settings in %ProgramData%\counter-app"
LangString DataSubtitle ${LANG_INDONESIAN} "Basis data dan pengaturan di %ProgramData%\counter-app"
LangString DataText ${LANG_ENGLISH} "The office's records (tickets, journal, users, settings, backups) are kept unless you tick the box. A later install uses them again."
LangString DataText ${LANG_INDONESIAN} "Catatan kantor (tiket, jurnal, pengguna, pengaturan, cadangan) tetap disimpan kecuali kotak ini dicentang. Instalasi berikutnya memakainya lagi."
LangString DataBox ${LANG_ENGLISH} "Also delete the office's data (cannot be undone)"
LangString DataBox ${LANG_INDONESIAN} "Hapus juga data kantor (tidak dapat dibatalkan)"

InstType "$(TypeServer)"
InstType "$(TypeStation)"
InstType "$(TypeFull)"

; ---------------------------------------------------------------------------------------
; Sections. Every component uses the one program folder (the windows and the server share
; the libraries); the components differ in what is registered.

Section "-Program files" SEC_PROGRAM
  SectionIn 1 2 3 RO
  SetShellVarContext all
  Call RemoveInnoInstall
  ; An upgrade: the running service holds its files; stop it before they are replaced.
  ${If} ${FileExists} "$INSTDIR\${SERVICE_EXE}"
    DetailPrint "Stopping the server service..."
    nsExec::ExecToLog '"$INSTDIR\${SERVICE_EXE}" --wait 60 stop'
    Pop $0
  ${EndIf}
  ; Replace the program, not add to it: an older build's libraries must not linger.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${DIST}\*"
  File "..\..\docs\INSTALL.md"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  ; Shortcuts and autostart values are made again below for the chosen components only.
  RMDir /r "${MENU_DIR}"
  CreateDirectory "${MENU_DIR}"
  CreateShortcut "${MENU_DIR}\$(LnkUninstall).lnk" "$INSTDIR\Uninstall.exe"
SectionEnd

Section "$(SecServerName)" SEC_SERVER
  SectionIn 1 3
  SetShellVarContext all
  CreateDirectory "${DATA_DIR}"
  ; The settings (the same keys as on Linux), written once and then left alone.
  ${IfNot} ${FileExists} "${DATA_DIR}\counter-app.env"
    FileOpen $1 "${DATA_DIR}\counter-app.env" w
    FileWrite $1 "# counter_app server settings (COUNTER_APP_<NAME>=value); restart the service after a change.$\r$\n"
    FileWrite $1 "COUNTER_APP_DB_URL=sqlite:///${DATA_DIR}\counter_app.sqlite3$\r$\n"
    FileWrite $1 "COUNTER_APP_HOST=0.0.0.0$\r$\n"
    FileWrite $1 "COUNTER_APP_PORT=${SERVER_PORT}$\r$\n"
    FileClose $1
  ${EndIf}
  ; The service (installers/windows/service.py, pywin32): registered on a first install,
  ; pointed at this folder again on an upgrade.
  DetailPrint "Registering the server service..."
  nsExec::ExecToLog '"$INSTDIR\${SERVICE_EXE}" --startup auto install'
  Pop $0
  ${If} $0 != 0
    nsExec::ExecToLog '"$INSTDIR\${SERVICE_EXE}" --startup auto update'
    Pop $0
    ${If} $0 != 0
      MessageBox MB_ICONEXCLAMATION|MB_OK "$(MsgServiceFailed)" /SD IDOK
    ${EndIf}
  ${EndIf}
  DetailPrint "Opening port ${SERVER_PORT} in the firewall..."
  nsExec::ExecToLog '"$SYSDIR\netsh.exe" advfirewall firewall delete rule name="${FIREWALL_RULE}"'
  Pop $0
  nsExec::ExecToLog '"$SYSDIR\netsh.exe" advfirewall firewall add rule name="${FIREWALL_RULE}" dir=in action=allow protocol=TCP localport=${SERVER_PORT} program="$INSTDIR\${SERVICE_EXE}"'
  Pop $0
  ; The first admin, before the service starts, on a first install only (no database yet):
  ; a console asks for the password, or COUNTER_APP_ADMIN_PASSWORD gives it (silent installs).
  ${IfNot} ${FileExists} "${DATA_DIR}\counter_app.sqlite3"
    ReadEnvStr $1 "COUNTER_APP_ADMIN_PASSWORD"
    ${If} ${Silent}
    ${AndIf} $1 == ""
      DetailPrint "$(MsgAdminFailed)"
    ${Else}
      DetailPrint "Creating the first admin..."
      ExecWait '"$INSTDIR\${CLI_EXE}" init --db "sqlite:///${DATA_DIR}\counter_app.sqlite3"' $0
      ${If} $0 != 0
        MessageBox MB_ICONINFORMATION|MB_OK "$(MsgAdminFailed)" /SD IDOK
      ${EndIf}
    ${EndIf}
  ${EndIf}
  DetailPrint "Starting the server..."
  nsExec::ExecToLog '"$INSTDIR\${SERVICE_EXE}" start'
  Pop $0
  WriteINIStr "${MENU_DIR}\$(LnkBrowser).url" "InternetShortcut" "URL" "http://127.0.0.1:${SERVER_PORT}/docs"
SectionEnd

Section "$(SecCounterName)" SEC_COUNTER
  SectionIn 2 3
  SetShellVarContext all
  CreateShortcut "${MENU_DIR}\$(LnkCounter).lnk" "$INSTDIR\${GUI_EXE}" "counter"
SectionEnd

Section "$(SecDisplayName)" SEC_DISPLAY
  SectionIn 2 3
  SetShellVarContext all
  CreateShortcut "${MENU_DIR}\$(LnkDisplay).lnk" "$INSTDIR\${GUI_EXE}" "display"
SectionEnd

Section "$(SecKioskName)" SEC_KIOSK
  SectionIn 2 3
  SetShellVarContext all
  CreateShortcut "${MENU_DIR}\$(LnkKiosk).lnk" "$INSTDIR\${GUI_EXE}" "kiosk"
SectionEnd

Section "$(SecSurveyName)" SEC_SURVEY
  SectionIn 2 3
  SetShellVarContext all
  CreateShortcut "${MENU_DIR}\$(LnkSurvey).lnk" "$INSTDIR\${GUI_EXE}" "survey-tablet"
SectionEnd

Section "$(SecSupervisorName)" SEC_SUPERVISOR
  SectionIn 2 3
  SetShellVarContext all
  CreateShortcut "${MENU_DIR}\$(LnkSupervisor).lnk" "$INSTDIR\${GUI_EXE}" "supervisor"
  CreateShortcut "${MENU_DIR}\$(LnkReports).lnk" "$INSTDIR\${GUI_EXE}" "reports"
SectionEnd

; Autostart: the chosen windows of the installed components, every other value removed.
!macro SetAutostart ROLE SUB SEC
  ${If} $Auto_${ROLE} == 1
  ${AndIf} ${SectionIsSelected} ${SEC}
    WriteRegStr HKLM "${RUN_KEY}" "counter-app-${SUB}" '"$INSTDIR\${GUI_EXE}" ${SUB}'
  ${Else}
    DeleteRegValue HKLM "${RUN_KEY}" "counter-app-${SUB}"
  ${EndIf}
!macroend

; The record Windows' "Apps" list and the next installer read.
!macro RememberComponent NAME SEC
  ${If} ${SectionIsSelected} ${SEC}
    WriteRegDWORD HKLM "${UNINST_KEY}" "Component_${NAME}" 1
  ${Else}
    WriteRegDWORD HKLM "${UNINST_KEY}" "Component_${NAME}" 0
  ${EndIf}
!macroend

Section "-Autostart and registration" SEC_FINISH
  !insertmacro SetAutostart counter counter ${SEC_COUNTER}
  !insertmacro SetAutostart display display ${SEC_DISPLAY}
  !insertmacro SetAutostart kiosk kiosk ${SEC_KIOSK}
  !insertmacro SetAutostart survey survey-tablet ${SEC_SURVEY}
  !insertmacro SetAutostart supervisor supervisor ${SEC_SUPERVISOR}

  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "The counter_app authors"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${CLI_EXE}"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0
  !insertmacro RememberComponent server ${SEC_SERVER}
  !insertmacro RememberComponent counter ${SEC_COUNTER}
  !insertmacro RememberComponent display ${SEC_DISPLAY}
  !insertmacro RememberComponent kiosk ${SEC_KIOSK}
  !insertmacro RememberComponent survey ${SEC_SURVEY}
  !insertmacro RememberComponent supervisor ${SEC_SUPERVISOR}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_SERVER} "$(SecServerDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_COUNTER} "$(SecCounterDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_DISPLAY} "$(SecDisplayDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_KIOSK} "$(SecKioskDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_SURVEY} "$(SecSurveyDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_SUPERVISOR} "$(SecSupervisorDesc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; ---------------------------------------------------------------------------------------
; Installer functions.

; "server,counter" holds NAME? ($R9 = the list with commas around it) -> $R8 = 1 or 0.
!macro InList LIST NAME
  StrCpy $R9 ",${LIST},"
  ${StrStr} $R8 $R9 ",${NAME},"
  ${If} $R8 == ""
    StrCpy $R8 0
  ${Else}
    StrCpy $R8 1
  ${EndIf}
!macroend

!macro ChooseSection SEC ON
  ${If} ${ON} == 1
    !insertmacro SelectSection ${SEC}
  ${Else}
    !insertmacro UnselectSection ${SEC}
  ${EndIf}
!macroend

; An upgrade preselects what was installed.
!macro PreviousComponent NAME SEC
  ReadRegDWORD $R8 HKLM "${UNINST_KEY}" "Component_${NAME}"
  !insertmacro ChooseSection ${SEC} $R8
!macroend

; /COMPONENTS=server,counter,... on the command line.
!macro ComponentFromList LIST NAME SEC
  !insertmacro InList "${LIST}" ${NAME}
  !insertmacro ChooseSection ${SEC} $R8
!macroend

; An autostart value already there (an upgrade, or `counter-app station install`) is kept.
!macro PreviousAutostart ROLE SUB
  ReadRegStr $R8 HKLM "${RUN_KEY}" "counter-app-${SUB}"
  ${If} $R8 != ""
    StrCpy $Auto_${ROLE} 1
  ${EndIf}
!macroend

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP|MB_OK "$(MsgNeeds64)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  StrCpy $Upgrade 0
  StrCpy $Auto_counter 0
  StrCpy $Auto_display 0
  StrCpy $Auto_kiosk 0
  StrCpy $Auto_survey 0
  StrCpy $Auto_supervisor 0
  ReadRegStr $R0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $R0 != ""
    StrCpy $Upgrade 1
    StrCpy $INSTDIR $R0
    !insertmacro PreviousComponent server ${SEC_SERVER}
    !insertmacro PreviousComponent counter ${SEC_COUNTER}
    !insertmacro PreviousComponent display ${SEC_DISPLAY}
    !insertmacro PreviousComponent kiosk ${SEC_KIOSK}
    !insertmacro PreviousComponent survey ${SEC_SURVEY}
    !insertmacro PreviousComponent supervisor ${SEC_SUPERVISOR}
  ${Else}
    ReadRegStr $R0 HKLM "${OLD_INNO_KEY}" "InstallLocation"
    ${If} $R0 != ""
      StrCpy $INSTDIR $R0
    ${EndIf}
  ${EndIf}
  !insertmacro PreviousAutostart counter counter
  !insertmacro PreviousAutostart display display
  !insertmacro PreviousAutostart kiosk kiosk
  !insertmacro PreviousAutostart survey survey-tablet
  !insertmacro PreviousAutostart supervisor supervisor

  ${GetParameters} $R1
  ClearErrors
  ${GetOptions} $R1 "/COMPONENTS=" $R2
  ${IfNot} ${Errors}
    !insertmacro ComponentFromList $R2 server ${SEC_SERVER}
    !insertmacro ComponentFromList $R2 counter ${SEC_COUNTER}
    !insertmacro ComponentFromList $R2 display ${SEC_DISPLAY}
    !insertmacro ComponentFromList $R2 kiosk ${SEC_KIOSK}
    !insertmacro ComponentFromList $R2 survey ${SEC_SURVEY}
    !insertmacro ComponentFromList $R2 supervisor ${SEC_SUPERVISOR}
  ${EndIf}
  ClearErrors
  ${GetOptions} $R1 "/AUTOSTART=" $R2
  ${IfNot} ${Errors}
    !insertmacro InList $R2 counter
    StrCpy $Auto_counter $R8
    !insertmacro InList $R2 display
    StrCpy $Auto_display $R8
    !insertmacro InList $R2 kiosk
    StrCpy $Auto_kiosk $R8
    !insertmacro InList $R2 survey
    StrCpy $Auto_survey $R8
    !insertmacro InList $R2 supervisor
    StrCpy $Auto_supervisor $R8
  ${EndIf}
FunctionEnd

Function SkipDirectoryOnUpgrade
  ${If} $Upgrade == 1
    Abort ; the installed folder is replaced in place
  ${EndIf}
FunctionEnd

; The Inno Setup installer of earlier builds used the same GUID as its AppId: its uninstaller
; removes its service, firewall rule and files and keeps %ProgramData%\counter-app.
Function RemoveInnoInstall
  ReadRegStr $R0 HKLM "${OLD_INNO_KEY}" "UninstallString"
  ${If} $R0 != ""
    DetailPrint "$(MsgOldUninstall)"
    ExecWait '$R0 /VERYSILENT /SUPPRESSMSGBOXES /NORESTART' $0
  ${EndIf}
FunctionEnd

!macro AutostartBox ROLE SEC LABEL TOP
  ${NSD_CreateCheckbox} 10u ${TOP} -10u 12u "$(${LABEL})"
  Pop $Box_${ROLE}
  ${If} ${SectionIsSelected} ${SEC}
    ${If} $Auto_${ROLE} == 1
      ${NSD_Check} $Box_${ROLE}
    ${EndIf}
  ${Else}
    EnableWindow $Box_${ROLE} 0
  ${EndIf}
!macroend

Function AutostartPage
  ${IfNot} ${SectionIsSelected} ${SEC_COUNTER}
  ${AndIfNot} ${SectionIsSelected} ${SEC_DISPLAY}
  ${AndIfNot} ${SectionIsSelected} ${SEC_KIOSK}
  ${AndIfNot} ${SectionIsSelected} ${SEC_SURVEY}
  ${AndIfNot} ${SectionIsSelected} ${SEC_SUPERVISOR}
    Abort ; a server-only PC has no window to start
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "$(AutoTitle)" "$(AutoSubtitle)"
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  ${NSD_CreateLabel} 0 0 100% 30u "$(AutoText)"
  Pop $0
  !insertmacro AutostartBox counter ${SEC_COUNTER} SecCounterName 36u
  !insertmacro AutostartBox display ${SEC_DISPLAY} SecDisplayName 52u
  !insertmacro AutostartBox kiosk ${SEC_KIOSK} SecKioskName 68u
  !insertmacro AutostartBox survey ${SEC_SURVEY} SecSurveyName 84u
  !insertmacro AutostartBox supervisor ${SEC_SUPERVISOR} SecSupervisorName 100u
  nsDialogs::Show
FunctionEnd

Function AutostartPageLeave
  ${NSD_GetState} $Box_counter $Auto_counter
  ${NSD_GetState} $Box_display $Auto_display
  ${NSD_GetState} $Box_kiosk $Auto_kiosk
  ${NSD_GetState} $Box_survey $Auto_survey
  ${NSD_GetState} $Box_supervisor $Auto_supervisor
FunctionEnd

; ---------------------------------------------------------------------------------------
; The uninstaller: the service, the firewall rule, the autostart values, the shortcuts and
; the program go; %ProgramData%\counter-app stays unless asked (/REMOVEDATA when silent).

Function un.onInit
  SetRegView 64
  SetShellVarContext all
  StrCpy $RemoveData 0
  ${GetParameters} $R1
  ClearErrors
  ${GetOptions} $R1 "/REMOVEDATA" $R2
  ${IfNot} ${Errors}
    StrCpy $RemoveData 1
  ${EndIf}
FunctionEnd

Function un.DataPage
  !insertmacro MUI_HEADER_TEXT "$(DataTitle)" "$(DataSubtitle)"
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  ${NSD_CreateLabel} 0 0 100% 30u "$(DataText)"
  Pop $0
  ${NSD_CreateCheckbox} 0 40u 100% 12u "$(DataBox)"
  Pop $RemoveDataBox
  ${If} $RemoveData == 1
    ${NSD_Check} $RemoveDataBox
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $RemoveDataBox $RemoveData
FunctionEnd

Section "Uninstall"
  SetShellVarContext all
  ${If} ${FileExists} "$INSTDIR\${SERVICE_EXE}"
    DetailPrint "Stopping and removing the server service..."
    nsExec::ExecToLog '"$INSTDIR\${SERVICE_EXE}" --wait 60 stop'
    Pop $0
    nsExec::ExecToLog '"$INSTDIR\${SERVICE_EXE}" remove'
    Pop $0
  ${EndIf}
  nsExec::ExecToLog '"$SYSDIR\netsh.exe" advfirewall firewall delete rule name="${FIREWALL_RULE}"'
  Pop $0
  DeleteRegValue HKLM "${RUN_KEY}" "counter-app-counter"
  DeleteRegValue HKLM "${RUN_KEY}" "counter-app-display"
  DeleteRegValue HKLM "${RUN_KEY}" "counter-app-kiosk"
  DeleteRegValue HKLM "${RUN_KEY}" "counter-app-survey-tablet"
  DeleteRegValue HKLM "${RUN_KEY}" "counter-app-supervisor"
  RMDir /r "${MENU_DIR}"
  ; Only what the installer put there, then the folder if it is empty.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${SERVICE_EXE}"
  Delete "$INSTDIR\INSTALL.md"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  ${If} $RemoveData == 1
    DetailPrint "Deleting ${DATA_DIR}..."
    RMDir /r "${DATA_DIR}"
  ${EndIf}
  DeleteRegKey HKLM "${UNINST_KEY}"
SectionEnd
