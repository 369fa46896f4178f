#!/usr/bin/env bash
# Build dist/counter-app_<version>_<arch>.deb with dpkg-deb: the program in its own Python
# environment (/usr/lib/counter-app/venv, made with this machine's /usr/bin/python3, whose
# minor version the package then depends on), the command, the service, the desktop entries.
# Run through installers/build.sh deb. docs/INSTALL.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=installers/debian
python=/usr/bin/python3
pyver=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
version=$("$python" -c 'import re; print(re.search(r"__version__ = \"(.+)\"", open("counter_app/__init__.py").read())[1])')
arch=$(dpkg --print-architecture)
package=counter-app
prefix=/usr/lib/counter-app

work=build/deb
stage=$work/root
rm -rf "$work"
mkdir -p "$stage" dist
venv=$stage$prefix/venv

echo "deb: Python environment (python$pyver) in $prefix/venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
# The wheel, built the way pip builds it for a user (the translations compiled into it).
"$venv/bin/python" -m pip wheel --no-deps -q -w "$work/wheel" .
wheel=$(ls "$work"/wheel/counter_app-*.whl)
"$venv/bin/python" -m pip install -q --no-compile -c constraints.txt "$wheel[all]"

echo "deb: trimming what the program does not use"
site=$venv/lib/python$pyver/site-packages
qt=$site/PySide6
# Qt parts no window uses (web engine, 3D, QML, designer tools), headers, stubs, docs.
rm -rf "$qt"/QtWebEngine* "$qt"/Qt/lib/libQt6WebEngine* "$qt"/Qt/libexec/QtWebEngineProcess \
  "$qt"/Qt/resources "$qt"/Qt/translations/qtwebengine_locales \
  "$qt"/Qt3D* "$qt"/Qt/lib/libQt63D* "$qt"/QtQuick3D* "$qt"/Qt/lib/libQt6Quick3D* \
  "$qt"/QtDesigner* "$qt"/Qt/lib/libQt6Designer* "$qt"/Qt/plugins/designer \
  "$qt"/Qt/plugins/sceneparsers "$qt"/Qt/plugins/geometryloaders "$qt"/Qt/plugins/renderers \
  "$qt"/Qt/plugins/renderplugins "$qt"/Qt/plugins/assetimporters "$qt"/Qt/plugins/qmltooling \
  "$qt"/Qt/plugins/qmllint "$qt"/Qt/plugins/webview "$qt"/Qt/qml "$qt"/Qt/metatypes \
  "$qt"/include "$qt"/typesystems "$qt"/glue "$qt"/doc "$qt"/support \
  "$qt"/assistant "$qt"/designer "$qt"/linguist "$qt"/lupdate "$qt"/lrelease "$qt"/balsam* \
  "$qt"/qml* "$qt"/qsb "$qt"/svgtoqml "$qt"/scripts/deploy_lib "$qt"/scripts/project_lib
find "$qt" -name '*.pyi' -delete
# Qt's own translations: only the Indonesian ones (the windows speak Indonesian).
find "$qt/Qt/translations" -type f ! -name '*_id.qm' -delete
# The installer's tools are not needed at run time; neither are the build machine's paths.
"$venv/bin/python" -m pip uninstall -q -y pip setuptools
rm -f "$venv"/bin/activate* "$venv"/bin/Activate.ps1 "$venv"/bin/pip*
find "$venv" -name __pycache__ -type d -prune -exec rm -rf {} +
# Scripts name the environment's Python by the staging path: name the installed one.
grep -rlI "^#!$PWD/$venv/bin/python" "$venv/bin" | while read -r script; do
  sed -i "1s|^#!.*|#!$prefix/venv/bin/python|" "$script"
done
sed -i "s|$PWD/$venv|$prefix/venv|g" "$venv/pyvenv.cfg"
# Libraries are not programs (lintian: shared-library-is-executable); no VCS leftovers.
find "$venv" -type f -name '*.so*' -exec chmod 0644 {} +
find "$venv" -name .gitignore -delete
# Debug symbols are not shipped (smaller; lintian: unstripped-binary-or-object).
find "$venv" -type f \( -name '*.so' -o -name '*.so.*' \) -exec strip --strip-unneeded {} + 2>/dev/null || true

echo "deb: checking that every window's Qt modules load from the trimmed environment"
QT_QPA_PLATFORM=offscreen "$venv/bin/python" - <<'PY'
import importlib
for name in ["PySide6.QtWidgets", "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets",
             "PySide6.QtCharts", "PySide6.QtPdf", "PySide6.QtTextToSpeech",
             "counter_app.views.counter.run", "counter_app.views.display.run",
             "counter_app.views.kiosk.run", "counter_app.views.survey.run",
             "counter_app.views.supervisor.run", "counter_app.views.reports.run",
             "counter_app.server.app", "psycopg", "psycopg_pool"]:
    importlib.import_module(name)
from PySide6.QtWidgets import QApplication
QApplication([])
PY
find "$venv" -name __pycache__ -type d -prune -exec rm -rf {} +

echo "deb: command, service, settings, desktop entries, documents"
install -D -m 0755 "$here/counter-app.sh" "$stage/usr/bin/counter-app"
install -D -m 0644 "$here/counter-app-server.service" \
  "$stage/usr/lib/systemd/system/counter-app-server.service"
install -D -m 0644 "$here/counter-app.env" "$stage/etc/counter-app/counter-app.env"
for entry in installers/desktop/*.desktop; do
  install -D -m 0644 "$entry" "$stage/usr/share/applications/$(basename "$entry")"
done
install -D -m 0644 installers/icons/counter-app.png \
  "$stage/usr/share/icons/hicolor/256x256/apps/counter-app.png"
doc=$stage/usr/share/doc/$package
install -D -m 0644 docs/INSTALL.md "$doc/INSTALL.md"
install -D -m 0644 "$here/copyright" "$doc/copyright"
{
  echo "$package ($version) stable; urgency=medium"
  echo
  echo "  * Release $version (the project's history is in its git log)."
  echo
  echo " -- counter_app maintainers <maintainers@counter-app.invalid>  $(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")"
} | gzip -9n > "$doc/changelog.gz"
install -D -m 0644 "$here/lintian-overrides" "$stage/usr/share/lintian/overrides/$package"

mkdir -p "$stage/DEBIAN"
for script in postinst prerm postrm; do
  install -m 0755 "$here/$script" "$stage/DEBIAN/$script"
done
sed -i "s|@PYTHON@|/usr/bin/python$pyver|g" "$stage/DEBIAN/postinst"
echo /etc/counter-app/counter-app.env > "$stage/DEBIAN/conffiles"
installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@PYVER@|$pyver|g" \
  -e "s|@SIZE@|$installed_kb|" "$here/control.in" > "$stage/DEBIAN/control"

out=dist/${package}_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$out" >/dev/null
echo "deb: $out ($(du -h "$out" | cut -f1); installed $((installed_kb / 1024)) MB)"
