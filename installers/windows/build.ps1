# Build the Windows installer in one command, on a Windows PC with Python 3.11+ and NSIS 3
# (https://nsis.sourceforge.io, or `choco install nsis`): PyInstaller, then makensis.
#   powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1
# Output: dist\counter-app-<version>-setup.exe. docs/INSTALL.md.
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root

# A build environment of its own: the project with every station library, pinned as tested,
# plus PyInstaller (a build tool, not a project dependency) and pywin32 (the service).
$venv = Join-Path $root "build\windows-venv"
if (-not (Test-Path "$venv\Scripts\python.exe")) { py -3 -m venv $venv }
$python = "$venv\Scripts\python.exe"
& $python -m pip install --upgrade pip
& $python -m pip install -c constraints.txt ".[all]" "pyinstaller>=6.10" "pywin32>=306"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& $python -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller installers\windows\counter-app.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
& dist\counter-app\counter-app.exe --version
if ($LASTEXITCODE -ne 0) { throw "the built counter-app.exe does not start" }

$version = & $python -c "import counter_app; print(counter_app.__version__)"
# makensis: on PATH, else where the NSIS installer (or choco) puts it.
$makensis = (Get-Command makensis.exe -ErrorAction SilentlyContinue).Source
if (-not $makensis) {
  $makensis = @("${env:ProgramFiles(x86)}\NSIS\makensis.exe", "$env:ProgramFiles\NSIS\makensis.exe") |
    Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $makensis) { throw "NSIS 3 is not installed (makensis.exe not found)" }
& $makensis /WX "/DVERSION=$version" installers\windows\counter-app.nsi
if ($LASTEXITCODE -ne 0) { throw "makensis failed" }
Get-Item "dist\counter-app-$version-setup.exe"
