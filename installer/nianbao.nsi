; 政务公开年报 setup program (NSIS 3, Unicode). Compiled by `make installer` (installer/build.py):
;
;   makensis -DVERSION=0.1.0 -DVERSION_QUAD=0.1.0.0 -DBUNDLE_DIR=<dist/nianbao> -DOUTFILE=<setup.exe>
;            installer/nianbao.nsi
;
; What it does for the clerk, who often has no administrator password:
; - installs for the current user without administrator rights by default, into
;   %LOCALAPPDATA%\Programs\nianbao, registry under HKCU; run as administrator ("以管理员身份运行"),
;   it installs for every user of the computer into Program Files, registry under HKLM;
; - Start-menu shortcut, and a desktop shortcut (a component that can be unticked);
; - .nianbao.json data files open in the program (see "File type" below);
; - an uninstaller that removes the program and keeps the clerk's reports (the database
;   %LOCALAPPDATA%\nianbao\nianbao.sqlite3 and its backups) unless "删除我的数据" is ticked;
; - version information on the setup file (VIProductVersion and the version keys).
; The program itself keeps its data outside the install folder, so an upgrade or an uninstall
; never touches it.

Unicode true
ManifestDPIAware true
!ifdef FAST_COMPRESSION ; test builds (make windows-check): zlib packs in a fifth of the time
  SetCompressor zlib
!else
  SetCompressor /SOLID lzma
!endif

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include x64.nsh
!include WinVer.nsh

!ifndef VERSION
  !error "Pass the version: makensis -DVERSION=x.y.z (make installer does)"
!endif
!define /ifndef VERSION_QUAD "${VERSION}.0"
!define /ifndef BUNDLE_DIR "..\dist\nianbao"
!define /ifndef OUTFILE "..\dist\nianbao-setup-${VERSION}.exe"
!define /ifndef ICON_FILE "..\resources\icons\nianbao.ico"

!define APP_NAME "政务公开年报"
!define APP_ID "nianbao"
!define APP_EXE "nianbao.exe"
!define PUBLISHER "政务公开年报"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
; File type: Windows picks a program by the last extension only (.json), so .nianbao.json files
; are served through .json: the program is offered under "打开方式" for every .json file, and it
; becomes the default for .json only where no other program already is.
!define PROG_ID "nianbao.datafile"
!define DATA_EXT ".json"
!define OPEN_COMMAND '"$INSTDIR\${APP_EXE}" --open "%1"'

Name "${APP_NAME}"
Caption "${APP_NAME} ${VERSION} 安装"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION_QUAD}"
VIFileVersion "${VERSION_QUAD}"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "OriginalFilename" "nianbao-setup-${VERSION}.exe"

Var AllUsers ; 1: per-machine (the setup runs as administrator), 0: per-user

!define MUI_ICON "${ICON_FILE}"
!define MUI_UNICON "${ICON_FILE}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_PAGE_CUSTOMFUNCTION_PRE un.ComponentsPre
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "SimpChinese"

; ------------------------------------------------------------------------- install mode

Function .onInit
  ${IfNot} ${RunningX64}
  ; 18362 = Windows 10 version 1903, the first with the system ICU (icuuc.dll) Qt 6 links to.
  ${OrIfNot} ${AtLeastBuild} 18362
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME}需要64位的Windows 10（1903版或更新）或Windows 11。"
    Abort
  ${EndIf}
  SetRegView 64
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 == "Admin"
    ; Started with "以管理员身份运行": for every user of this computer.
    StrCpy $AllUsers 1
    SetShellVarContext all
    StrCpy $INSTDIR "$PROGRAMFILES64\${APP_ID}"
  ${Else}
    StrCpy $AllUsers 0
    SetShellVarContext current
  ${EndIf}
  ; Installing again (an upgrade) goes to where the program already is.
  ReadRegStr $0 SHCTX "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $0 != ""
    StrCpy $INSTDIR $0
  ${EndIf}
FunctionEnd

; ------------------------------------------------------------------------- install

Section "${APP_NAME}（必需）" SecProgram
  SectionIn RO
  ; An upgrade replaces the program's files wholesale, so no file of an older version lingers.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}\*"
  File "/oname=$INSTDIR\nianbao.ico" "${ICON_FILE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\nianbao.ico"

  ; File type: .nianbao.json (through .json, see the note at the top).
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}" "" "政务公开年报数据文件"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}\DefaultIcon" "" "$INSTDIR\nianbao.ico"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}\shell\open\command" "" '${OPEN_COMMAND}'
  WriteRegStr SHCTX "Software\Classes\${DATA_EXT}\OpenWithProgids" "${PROG_ID}" ""
  WriteRegStr SHCTX "Software\Classes\Applications\${APP_EXE}\shell\open\command" "" '${OPEN_COMMAND}'
  WriteRegStr SHCTX "Software\Classes\Applications\${APP_EXE}\SupportedTypes" "${DATA_EXT}" ""
  WriteRegStr SHCTX "Software\Classes\Applications\${APP_EXE}" "FriendlyAppName" "${APP_NAME}"
  ReadRegStr $0 HKCR "${DATA_EXT}" ""
  ${If} $0 == ""
    WriteRegStr SHCTX "Software\Classes\${DATA_EXT}" "" "${PROG_ID}"
  ${EndIf}
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)' ; SHCNE_ASSOCCHANGED

  ; "应用和功能" (Programs and Features).
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\nianbao.ico"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "桌面快捷方式" SecDesktop
  CreateShortCut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\nianbao.ico"
SectionEnd

; ------------------------------------------------------------------------- uninstall

Function un.onInit
  SetRegView 64
  ; Per-machine if the HKLM entry points at this folder: that needs administrator rights.
  ReadRegStr $0 HKLM "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $0 == $INSTDIR
    UserInfo::GetAccountType
    Pop $1
    ${If} $1 != "Admin"
      MessageBox MB_OK|MB_ICONSTOP "${APP_NAME}是为这台电脑的所有用户安装的。请右键单击卸载程序，选择“以管理员身份运行”。"
      Abort
    ${EndIf}
    StrCpy $AllUsers 1
    SetShellVarContext all
  ${Else}
    StrCpy $AllUsers 0
    SetShellVarContext current
  ${EndIf}
FunctionEnd

Section "un.${APP_NAME}（程序文件）" SecUnProgram
  SectionIn RO
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"

  ReadRegStr $0 SHCTX "Software\Classes\${DATA_EXT}" ""
  ${If} $0 == "${PROG_ID}"
    DeleteRegValue SHCTX "Software\Classes\${DATA_EXT}" ""
  ${EndIf}
  DeleteRegValue SHCTX "Software\Classes\${DATA_EXT}\OpenWithProgids" "${PROG_ID}"
  DeleteRegKey /ifempty SHCTX "Software\Classes\${DATA_EXT}\OpenWithProgids"
  DeleteRegKey /ifempty SHCTX "Software\Classes\${DATA_EXT}"
  DeleteRegKey SHCTX "Software\Classes\${PROG_ID}"
  DeleteRegKey SHCTX "Software\Classes\Applications\${APP_EXE}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  DeleteRegKey SHCTX "${UNINSTALL_KEY}"

  ; Only what the setup put there: never a recursive delete of a folder the clerk chose.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\nianbao.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd

; Unticked by default: the clerk's reports stay unless asked (a silent /S uninstall keeps them).
Section /o "un.同时删除我的数据" SecUnData
  ; The data belongs to the user running the uninstaller, also after a per-machine install.
  SetShellVarContext current
  RMDir /r "$LOCALAPPDATA\${APP_ID}"
  DeleteRegKey HKCU "Software\${APP_ID}"
  ${If} $AllUsers == 1
    SetShellVarContext all
  ${EndIf}
SectionEnd

Function un.ComponentsPre
  ; The only choice is the data, which is per user: show whose folder it is.
  SetShellVarContext current
  StrCpy $0 "$LOCALAPPDATA\${APP_ID}"
  ${If} $AllUsers == 1
    SetShellVarContext all
  ${EndIf}
  SectionSetText ${SecUnData} "同时删除我的数据（$0 中的所有报告和备份，无法恢复）"
FunctionEnd
