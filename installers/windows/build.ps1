# Build the Windows installer in one command, on a Windows PC with Python 3.11+ and Inno Setup 6:
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
$iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe") |
  Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) { throw "Inno Setup 6 is not installed (ISCC.exe not found)" }
& $iscc "/DAppVersion=$version" installers\windows\counter-app.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Get-Item "dist\counter-app-$version-setup.exe"
