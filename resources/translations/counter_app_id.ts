<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>Actions</name>
    <message>
        <source>Call next</source>
        <translation>Panggil berikutnya</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>Panggil ulang</translation>
    </message>
    <message>
        <source>Start serving</source>
        <translation>Mulai layani</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Skip / no-show</source>
        <translation>Lewati / tidak hadir</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Alihkan</translation>
    </message>
    <message>
        <source>Return to queue</source>
        <translation>Kembalikan ke antrean</translation>
    </message>
    <message>
        <source>Call a number…</source>
        <translation>Panggil nomor…</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Urungkan</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Buka</translation>
    </message>
    <message>
        <source>Break</source>
        <translation>Istirahat</translation>
    </message>
    <message>
        <source>Close counter</source>
        <translation>Tutup loket</translation>
    </message>
</context>
<context>
    <name>AdminDialog</name>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>Settings and test print…</source>
        <translation>Pengaturan dan cetak uji…</translation>
    </message>
    <message>
        <source>Leave fullscreen</source>
        <translation>Keluar dari layar penuh</translation>
    </message>
    <message>
        <source>Close the kiosk</source>
        <translation>Tutup kios</translation>
    </message>
    <message>
        <source>Back to the kiosk</source>
        <translation>Kembali ke kios</translation>
    </message>
</context>
<context>
    <name>AlertsPanel</name>
    <message>
        <source>{number} waits at {counter}, which is {state}, for {waited} (target {target} min): open the counter or transfer the ticket</source>
        <translation>{number} menunggu di {counter} yang sedang {state}, selama {waited} (target {target} menit): buka loket itu atau alihkan nomornya</translation>
    </message>
    <message>
        <source>on break</source>
        <translation>istirahat</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>tutup</translation>
    </message>
    <message>
        <source>{number} has waited {waited} (target {target} min)</source>
        <translation>{number} sudah menunggu {waited} (target {target} menit)</translation>
    </message>
    <message>
        <source>{time} {device}: {kind} fault — {message}</source>
        <translation>{time} {device}: gangguan {kind} — {message}</translation>
    </message>
</context>
<context>
    <name>CallBackDialog</name>
    <message>
        <source>Call a number back</source>
        <translation>Panggil kembali nomor</translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation>Nomor antrean</translation>
    </message>
    <message>
        <source>To counter</source>
        <translation>Ke loket</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Panggil</translation>
    </message>
</context>
<context>
    <name>CallPanel</name>
    <message>
        <source>Now calling</source>
        <translation>Panggilan saat ini</translation>
    </message>
</context>
<context>
    <name>CheckInPage</name>
    <message>
        <source>Check in your online booking</source>
        <translation>Check-in booking online Anda</translation>
    </message>
    <message>
        <source>Hold the booking&apos;s QR code under the scanner, or type the booking code.</source>
        <translation>Arahkan kode QR booking ke pemindai, atau ketik kode booking.</translation>
    </message>
    <message>
        <source>Booking code</source>
        <translation>Kode booking</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>Check-in</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
</context>
<context>
    <name>CounterCard</name>
    <message>
        <source>Transfer…</source>
        <translation>Alihkan…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Buka</translation>
    </message>
    <message>
        <source>On break</source>
        <translation>Istirahat</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>called</source>
        <translation>dipanggil</translation>
    </message>
    <message>
        <source>being served</source>
        <translation>sedang dilayani</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup loket</translation>
    </message>
    <message>
        <source>Serving for {time}</source>
        <translation>Dilayani selama {time}</translation>
    </message>
    <message>
        <source>Called {time} ago</source>
        <translation>Dipanggil {time} yang lalu</translation>
    </message>
</context>
<context>
    <name>CounterController</name>
    <message>
        <source>Nobody is waiting for this counter.</source>
        <translation>Tidak ada yang menunggu untuk loket ini.</translation>
    </message>
    <message>
        <source>Today&apos;s totals could not be loaded: {reason}</source>
        <translation>Jumlah hari ini tidak dapat dimuat: {reason}</translation>
    </message>
</context>
<context>
    <name>CounterPicker</name>
    <message>
        <source>Choose your counter</source>
        <translation>Pilih loket Anda</translation>
    </message>
    <message>
        <source>Open this counter</source>
        <translation>Buka loket ini</translation>
    </message>
    <message>
        <source>Signed in as {name}</source>
        <translation>Masuk sebagai {name}</translation>
    </message>
    <message>
        <source>{name} (open: {who})</source>
        <translation>{name} (dibuka: {who})</translation>
    </message>
    <message>
        <source>Choose a counter.</source>
        <translation>Pilih sebuah loket.</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <source>Connection to the server lost — retrying…</source>
        <translation>Koneksi ke server terputus — mencoba lagi…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Pengaturan…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Memuat…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Buka</translation>
    </message>
    <message>
        <source>On break</source>
        <translation>Istirahat</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>LED display settings are wrong: {error}</source>
        <translation>Pengaturan papan LED salah: {error}</translation>
    </message>
    <message>
        <source>LED display fault: {message}</source>
        <translation>Gangguan papan LED: {message}</translation>
    </message>
    <message>
        <source>Today: {served} served · {no_show} no-show · average service {avg}</source>
        <translation>Hari ini: {served} dilayani · {no_show} tidak hadir · rata-rata layanan {avg}</translation>
    </message>
    <message>
        <source>Call a number</source>
        <translation>Panggil nomor</translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation>Nomor antrean</translation>
    </message>
    <message>
        <source>Take a break</source>
        <translation>Istirahat</translation>
    </message>
    <message>
        <source>Reason (optional)</source>
        <translation>Alasan (boleh dikosongkan)</translation>
    </message>
    <message>
        <source>e.g. prayer</source>
        <translation>mis. salat</translation>
    </message>
    <message>
        <source>Finish, skip or return ticket {number} before closing the counter.</source>
        <translation>Selesaikan, lewati, atau kembalikan nomor {number} sebelum menutup loket.</translation>
    </message>
</context>
<context>
    <name>CountersPanel</name>
    <message>
        <source>On break</source>
        <translation>Istirahat</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
</context>
<context>
    <name>Display</name>
    <message>
        <source>Counter {n}</source>
        <translation>Loket {n}</translation>
    </message>
</context>
<context>
    <name>DisplayDevice</name>
    <message>
        <source>This token is not a display device&apos;s token.</source>
        <translation>Token ini bukan token perangkat layar tampilan.</translation>
    </message>
</context>
<context>
    <name>DisplayWindow</name>
    <message>
        <source>Queue display</source>
        <translation>Layar antrean</translation>
    </message>
    <message>
        <source>Reconnecting to the server…</source>
        <translation>Menyambung ulang ke server…</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>no estimate</source>
        <translation>belum ada perkiraan</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} menit</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>⌫ Delete</source>
        <translation>⌫ Hapus</translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation>Kosongkan</translation>
    </message>
</context>
<context>
    <name>KioskSettingsDialog</name>
    <message>
        <source>Kiosk settings</source>
        <translation>Pengaturan kios</translation>
    </message>
    <message>
        <source>A new server or device token applies at the next start.</source>
        <translation>Server atau token perangkat baru berlaku saat kios dijalankan lagi.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>The server address</source>
        <translation>Alamat server</translation>
    </message>
    <message>
        <source> s</source>
        <translation> detik</translation>
    </message>
    <message>
        <source>Leave empty to keep the PIN</source>
        <translation>Kosongkan untuk tetap memakai PIN lama</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>Kios</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Device token</source>
        <translation>Token perangkat</translation>
    </message>
    <message>
        <source>Address for the QR code</source>
        <translation>Alamat untuk kode QR</translation>
    </message>
    <message>
        <source>Back to the start after</source>
        <translation>Kembali ke awal setelah</translation>
    </message>
    <message>
        <source>New admin PIN</source>
        <translation>PIN admin baru</translation>
    </message>
    <message>
        <source>No printer</source>
        <translation>Tanpa printer</translation>
    </message>
    <message>
        <source>USB (vendor:product id)</source>
        <translation>USB (id vendor:produk)</translation>
    </message>
    <message>
        <source>Network (host:port)</source>
        <translation>Jaringan (host:port)</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>Port serial</translation>
    </message>
    <message>
        <source>Device file (/dev/usb/lp0)</source>
        <translation>Berkas perangkat (/dev/usb/lp0)</translation>
    </message>
    <message>
        <source>Windows printer (name)</source>
        <translation>Printer Windows (nama)</translation>
    </message>
    <message>
        <source>As the profile says</source>
        <translation>Sesuai profil</translation>
    </message>
    <message>
        <source>Printer&apos;s own QR</source>
        <translation>QR bawaan printer</translation>
    </message>
    <message>
        <source>As an image</source>
        <translation>Sebagai gambar</translation>
    </message>
    <message>
        <source>Ask the printer for paper and status</source>
        <translation>Tanyakan kertas dan status ke printer</translation>
    </message>
    <message>
        <source>Ticket printer</source>
        <translation>Printer tiket</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Sambungan</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>Baud rate (serial)</source>
        <translation>Baud rate (serial)</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>Kode QR</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>Cetak uji</translation>
    </message>
    <message>
        <source>Check the printer: the connection and the printer do not fit together.</source>
        <translation>Periksa printer: jenis sambungan dan alamat printer tidak cocok.</translation>
    </message>
    <message>
        <source>Printing a test page…</source>
        <translation>Mencetak halaman uji…</translation>
    </message>
    <message>
        <source>The test page was printed.</source>
        <translation>Halaman uji sudah dicetak.</translation>
    </message>
    <message>
        <source>No printer is chosen.</source>
        <translation>Belum ada printer yang dipilih.</translation>
    </message>
    <message>
        <source>The test page was not printed: {why}</source>
        <translation>Halaman uji tidak tercetak: {why}</translation>
    </message>
    <message>
        <source>The PIN needs at least {n} digits.</source>
        <translation>PIN minimal {n} angka.</translation>
    </message>
</context>
<context>
    <name>KioskSetupDialog</name>
    <message>
        <source>Kiosk — set-up</source>
        <translation>Kios — penyiapan</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Device token</source>
        <translation>Token perangkat</translation>
    </message>
    <message>
        <source>Admin PIN (digits)</source>
        <translation>PIN admin (angka)</translation>
    </message>
    <message>
        <source>Start the kiosk</source>
        <translation>Jalankan kios</translation>
    </message>
    <message>
        <source>Fill in the server and the device token.</source>
        <translation>Isi alamat server dan token perangkat.</translation>
    </message>
    <message>
        <source>The PIN needs at least {n} digits.</source>
        <translation>PIN minimal {n} angka.</translation>
    </message>
    <message>
        <source>Or type the server and the device token the admin made.</source>
        <translation>Atau ketik server dan token perangkat yang dibuat admin.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Kiosk — counter_app</source>
        <translation>Kios — counter_app</translation>
    </message>
    <message>
        <source>No connection to the server — please wait…</source>
        <translation>Tidak terhubung ke server — mohon tunggu…</translation>
    </message>
    <message>
        <source>Please wait…</source>
        <translation>Mohon tunggu…</translation>
    </message>
    <message>
        <source>{reason}. Please choose another service or ask the staff.</source>
        <translation>{reason}. Silakan pilih layanan lain atau tanyakan kepada petugas.</translation>
    </message>
    <message>
        <source>Type the booking code first.</source>
        <translation>Ketik kode booking terlebih dahulu.</translation>
    </message>
    <message>
        <source>Checking in online bookings is not available at this office. Please take a regular number.</source>
        <translation>Check-in booking online belum tersedia di kantor ini. Silakan ambil nomor antrean biasa.</translation>
    </message>
    <message>
        <source>No connection to the server. Please try again in a moment.</source>
        <translation>Tidak terhubung ke server. Silakan coba lagi sebentar lagi.</translation>
    </message>
    <message>
        <source>Printing your ticket…</source>
        <translation>Tiket Anda sedang dicetak…</translation>
    </message>
    <message>
        <source>Please take your printed ticket.</source>
        <translation>Silakan ambil tiket Anda.</translation>
    </message>
    <message>
        <source>This kiosk prints no tickets: please note your number.</source>
        <translation>Kios ini tidak mencetak tiket: silakan catat nomor Anda.</translation>
    </message>
    <message>
        <source>The printer has a problem ({what}). Your number is valid: please note it or take a photo of this screen.</source>
        <translation>Printer bermasalah ({what}). Nomor Anda tetap berlaku: silakan catat atau foto layar ini.</translation>
    </message>
    <message>
        <source>out of paper</source>
        <translation>kertas habis</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>tidak aktif</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>tidak tersambung</translation>
    </message>
    <message>
        <source>not answering</source>
        <translation>tidak menjawab</translation>
    </message>
    <message>
        <source>printing stopped halfway</source>
        <translation>pencetakan terhenti di tengah</translation>
    </message>
    <message>
        <source>The ticket QR codes point at {url}, which only this PC can reach: citizens&apos; phones cannot open it. Set &apos;Address for the QR code&apos; in the settings to the server&apos;s address on the office network (e.g. http://192.168.1.10:8750).</source>
        <translation>Kode QR tiket mengarah ke {url}, yang hanya dapat dijangkau PC ini: ponsel warga tidak dapat membukanya. Isi 'Alamat untuk kode QR' di pengaturan dengan alamat server di jaringan kantor (mis. http://192.168.1.10:8750).</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Counter — sign in</source>
        <translation>Loket — masuk</translation>
    </message>
    <message>
        <source>Sign in to your counter</source>
        <translation>Masuk ke loket Anda</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>Fill in the server, your username and your password.</source>
        <translation>Isi alamat server, nama pengguna, dan kata sandi Anda.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Sedang masuk…</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>A training counter calls training tickets only, and a real counter real tickets only.</source>
        <translation>Loket latihan hanya memanggil nomor latihan, dan loket biasa hanya nomor sungguhan.</translation>
    </message>
    <message>
        <source>A real ticket is still called or being served; finish it before training starts.</source>
        <translation>Masih ada nomor sungguhan yang sedang dipanggil atau dilayani; selesaikan dulu sebelum mode latihan dimulai.</translation>
    </message>
    <message>
        <source>This NIK already has as many active bookings as allowed; cancel one first.</source>
        <translation>NIK ini sudah memiliki terlalu banyak pemesanan aktif. Batalkan salah satu dulu.</translation>
    </message>
    <message>
        <source>Too many bookings from this network today; try again tomorrow.</source>
        <translation>Terlalu banyak pemesanan dari jaringan ini hari ini. Coba lagi besok.</translation>
    </message>
    <message>
        <source>Too many live status streams from this address; close some and try again.</source>
        <translation>Terlalu banyak pemantauan langsung dari alamat ini. Tutup sebagian lalu coba lagi.</translation>
    </message>
    <message>
        <source>The server is serving too many live status streams; try again later.</source>
        <translation>Server sedang melayani terlalu banyak pemantauan langsung; muat ulang halaman nanti.</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>Nama pengguna atau kata sandi salah.</translation>
    </message>
    <message>
        <source>Your session has ended; please log in again.</source>
        <translation>Sesi Anda telah berakhir; silakan masuk lagi.</translation>
    </message>
    <message>
        <source>Please log in first.</source>
        <translation>Silakan masuk terlebih dahulu.</translation>
    </message>
    <message>
        <source>The simulation clock only moves forward.</source>
        <translation>Jam simulasi hanya dapat dimajukan.</translation>
    </message>
    <message>
        <source>Finish, skip or return the current ticket first.</source>
        <translation>Selesaikan, lewati, atau kembalikan nomor yang sedang dilayani terlebih dahulu.</translation>
    </message>
    <message>
        <source>Open the counter first.</source>
        <translation>Buka loket terlebih dahulu.</translation>
    </message>
    <message>
        <source>This counter is already open by another officer.</source>
        <translation>Loket ini sudah dibuka oleh petugas lain.</translation>
    </message>
    <message>
        <source>You already have another counter open.</source>
        <translation>Anda sudah membuka loket lain.</translation>
    </message>
    <message>
        <source>You are not assigned to this counter.</source>
        <translation>Anda tidak ditugaskan di loket ini.</translation>
    </message>
    <message>
        <source>The request could not be read.</source>
        <translation>Permintaan tidak dapat dibaca.</translation>
    </message>
    <message>
        <source>The request could not be handled; try again.</source>
        <translation>Permintaan tidak dapat diproses. Silakan coba lagi.</translation>
    </message>
    <message>
        <source>This address does not accept that method.</source>
        <translation>Alamat ini tidak menerima cara permintaan tersebut.</translation>
    </message>
    <message>
        <source>Send JSON (Content-Type: application/json).</source>
        <translation>Kirim data dalam format JSON.</translation>
    </message>
    <message>
        <source>The sign-in header could not be read; please log in again.</source>
        <translation>Tanda masuk tidak dapat dibaca; silakan masuk lagi.</translation>
    </message>
    <message>
        <source>The form has expired. Reload the page and try again.</source>
        <translation>Sesi formulir sudah habis. Muat ulang halaman lalu coba lagi.</translation>
    </message>
    <message>
        <source>The NIK does not match this booking.</source>
        <translation>NIK tidak cocok dengan pemesanan ini.</translation>
    </message>
    <message>
        <source>This counter is not open under your name.</source>
        <translation>Loket ini tidak dibuka atas nama Anda.</translation>
    </message>
    <message>
        <source>That ticket is not at your counter.</source>
        <translation>Nomor itu tidak berada di loket Anda.</translation>
    </message>
    <message>
        <source>This belongs to another branch; you can only act within your own.</source>
        <translation>Ini milik kantor lain; Anda hanya dapat bertindak di kantor Anda sendiri.</translation>
    </message>
    <message>
        <source>That branch does not exist.</source>
        <translation>Kantor tidak ditemukan.</translation>
    </message>
    <message>
        <source>That day is not a holiday of this branch.</source>
        <translation>Hari libur itu tidak terdaftar.</translation>
    </message>
    <message>
        <source>There is nothing at this address.</source>
        <translation>Tidak ada apa pun di alamat ini.</translation>
    </message>
    <message>
        <source>That priority class does not exist.</source>
        <translation>Kelas prioritas tidak ditemukan.</translation>
    </message>
    <message>
        <source>That service does not exist or takes no online bookings.</source>
        <translation>Layanan tidak ditemukan atau tidak menerima pemesanan online.</translation>
    </message>
    <message>
        <source>That ticket does not exist.</source>
        <translation>Nomor antrean tidak ditemukan.</translation>
    </message>
    <message>
        <source>The office is closed on that day.</source>
        <translation>Kantor tidak buka pada hari tersebut.</translation>
    </message>
    <message>
        <source>This NIK already has a booking for this service on that day.</source>
        <translation>NIK ini sudah memiliki pemesanan untuk layanan ini pada hari yang sama.</translation>
    </message>
    <message>
        <source>The office is closed on that holiday.</source>
        <translation>Kantor tutup pada hari libur tersebut.</translation>
    </message>
    <message>
        <source>That date is outside the booking period.</source>
        <translation>Tanggal tersebut di luar masa pemesanan.</translation>
    </message>
    <message>
        <source>A branch with that code already exists.</source>
        <translation>Kode kantor itu sudah dipakai.</translation>
    </message>
    <message>
        <source>This clashed with a change made at the same time; try again.</source>
        <translation>Terjadi perubahan bersamaan. Silakan coba lagi.</translation>
    </message>
    <message>
        <source>A counter with that number already exists here.</source>
        <translation>Nomor loket itu sudah ada di kantor ini.</translation>
    </message>
    <message>
        <source>That day is already a holiday of this branch.</source>
        <translation>Hari itu sudah terdaftar sebagai hari libur.</translation>
    </message>
    <message>
        <source>This ticket was skipped too long ago to be called back; the citizen needs a new number.</source>
        <translation>Nomor ini dilewati terlalu lama yang lalu untuk dipanggil kembali; warga perlu mengambil nomor baru.</translation>
    </message>
    <message>
        <source>That is not possible for this ticket any more.</source>
        <translation>Tindakan itu sudah tidak bisa dilakukan untuk nomor ini.</translation>
    </message>
    <message>
        <source>That prefix is already used by another service of this branch.</source>
        <translation>Huruf awalan itu sudah dipakai layanan lain di kantor ini.</translation>
    </message>
    <message>
        <source>A priority class with that code already exists.</source>
        <translation>Kelas prioritas dengan kode itu sudah ada.</translation>
    </message>
    <message>
        <source>The server&apos;s data was replaced; reload the view.</source>
        <translation>Data server telah diganti; muat ulang tampilan.</translation>
    </message>
    <message>
        <source>That slot is fully booked; choose another one.</source>
        <translation>Kuota jam tersebut sudah penuh. Silakan pilih jam lain.</translation>
    </message>
    <message>
        <source>That slot has already started; choose a later one.</source>
        <translation>Jam tersebut sudah lewat. Silakan pilih jam berikutnya.</translation>
    </message>
    <message>
        <source>The survey for this ticket has already been answered. Thank you.</source>
        <translation>Survei untuk nomor antrean ini sudah diisi. Terima kasih.</translation>
    </message>
    <message>
        <source>That ticket is from an earlier day; only today&apos;s tickets can be called.</source>
        <translation>Nomor itu dari hari sebelumnya; hanya nomor hari ini yang dapat dipanggil.</translation>
    </message>
    <message>
        <source>The time to undo the skip has passed; call the number back instead.</source>
        <translation>Waktu untuk mengurungkan lewati sudah habis; panggil kembali nomornya.</translation>
    </message>
    <message>
        <source>The survey opens once the service for this ticket is done.</source>
        <translation>Survei dapat diisi setelah layanan untuk nomor antrean ini selesai.</translation>
    </message>
    <message>
        <source>There is no ticket with that number today.</source>
        <translation>Hari ini tidak ada nomor antrean itu.</translation>
    </message>
    <message>
        <source>The hub lacks earlier journal events; send again from the sequence it asks for.</source>
        <translation>Hub belum menerima bagian jurnal sebelumnya; kirim lagi dari nomor urut yang diminta.</translation>
    </message>
    <message>
        <source>This branch&apos;s journal differs from the one the hub holds (restored from an older backup?); nothing was merged.</source>
        <translation>Jurnal kantor ini berbeda dengan yang sudah diterima hub (dipulihkan dari cadangan lama?); tidak ada yang digabungkan.</translation>
    </message>
    <message>
        <source>The journal events sent are not consecutive.</source>
        <translation>Peristiwa jurnal yang dikirim tidak berurutan.</translation>
    </message>
    <message>
        <source>That username is taken.</source>
        <translation>Nama pengguna itu sudah dipakai.</translation>
    </message>
    <message>
        <source>The request body is too large.</source>
        <translation>Data yang dikirim terlalu besar.</translation>
    </message>
    <message>
        <source>The Idempotency-Key is not valid (1 to 100 printable ASCII characters).</source>
        <translation>Kunci idempotensi tidak valid (1–100 karakter ASCII).</translation>
    </message>
    <message>
        <source>The last event number is not valid; reload the view.</source>
        <translation>Nomor kejadian terakhir tidak valid; muat ulang tampilan.</translation>
    </message>
    <message>
        <source>A name holds only letters, spaces and . , &apos; - (2 to 100 characters).</source>
        <translation>Nama hanya boleh berisi huruf, spasi, dan tanda . , &apos; - (2–100 karakter).</translation>
    </message>
    <message>
        <source>A NIK is 16 digits.</source>
        <translation>NIK harus 16 angka.</translation>
    </message>
    <message>
        <source>The phone number must be an Indonesian mobile number, such as 0812 3456 7890.</source>
        <translation>Nomor HP harus nomor seluler Indonesia, misalnya 0812 3456 7890.</translation>
    </message>
    <message>
        <source>A service prefix is 1 to 3 capital letters, such as A.</source>
        <translation>Awalan layanan adalah 1 sampai 3 huruf kapital, misalnya A.</translation>
    </message>
    <message>
        <source>The period ends before it starts.</source>
        <translation>Tanggal akhir periode lebih awal dari tanggal mulainya.</translation>
    </message>
    <message>
        <source>The chosen slot is not available; choose another one.</source>
        <translation>Jam yang dipilih tidak tersedia. Silakan pilih jam lain.</translation>
    </message>
    <message>
        <source>Online tickets come from a booking check-in.</source>
        <translation>Nomor antrean online hanya dibuat dari check-in pemesanan.</translation>
    </message>
    <message>
        <source>Each survey question is answered with a number from 1 to 4.</source>
        <translation>Setiap pertanyaan survei dijawab dengan angka 1 sampai 4.</translation>
    </message>
    <message>
        <source>Type a ticket number such as A-007.</source>
        <translation>Ketik nomor antrean, misalnya A-007.</translation>
    </message>
    <message>
        <source>That ticket was transferred to another counter.</source>
        <translation>Nomor itu sudah dialihkan ke loket lain.</translation>
    </message>
    <message>
        <source>The ticket is already at that counter.</source>
        <translation>Nomor itu sudah berada di loket tersebut.</translation>
    </message>
    <message>
        <source>That service is not taking tickets.</source>
        <translation>Layanan itu sedang tidak menerima antrean.</translation>
    </message>
    <message>
        <source>Today&apos;s quota for this service is used up.</source>
        <translation>Kuota hari ini untuk layanan ini sudah habis.</translation>
    </message>
    <message>
        <source>You are not allowed to do this.</source>
        <translation>Anda tidak berwenang melakukan ini.</translation>
    </message>
    <message>
        <source>Too many failed logins; wait before trying again.</source>
        <translation>Terlalu banyak percobaan masuk yang gagal. Tunggu sebentar lalu coba lagi.</translation>
    </message>
    <message>
        <source>Too many logins at once; try again in a moment.</source>
        <translation>Terlalu banyak orang masuk bersamaan; coba lagi sebentar lagi.</translation>
    </message>
    <message>
        <source>The current password is wrong.</source>
        <translation>Kata sandi lama salah.</translation>
    </message>
    <message>
        <source>There is no such user.</source>
        <translation>Pengguna itu tidak ada.</translation>
    </message>
    <message>
        <source>You cannot disable your own account.</source>
        <translation>Anda tidak dapat menonaktifkan akun Anda sendiri.</translation>
    </message>
    <message>
        <source>Too many requests; wait a moment.</source>
        <translation>Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.</translation>
    </message>
    <message>
        <source>The server cannot reach its database; try again shortly.</source>
        <translation>Server tidak dapat menjangkau basis datanya; coba lagi sebentar lagi.</translation>
    </message>
    <message>
        <source>This account belongs to no branch; sign in as a counter officer.</source>
        <translation>Akun ini tidak terdaftar di kantor mana pun; masuklah dengan akun petugas loket.</translation>
    </message>
    <message>
        <source>That counter is not one of yours.</source>
        <translation>Loket itu bukan loket Anda.</translation>
    </message>
    <message>
        <source>This booking code is not known. Check the code and try again.</source>
        <translation>Kode pemesanan tidak ditemukan. Periksa kodenya lalu coba lagi.</translation>
    </message>
    <message>
        <source>It is too early to check in for this booking. Please come back closer to your booked time.</source>
        <translation>Belum waktunya check-in untuk pemesanan ini. Silakan kembali mendekati jam pemesanan Anda.</translation>
    </message>
    <message>
        <source>The time for this booking has passed. Please take a regular number.</source>
        <translation>Waktu pemesanan ini sudah lewat. Silakan ambil nomor antrean biasa.</translation>
    </message>
    <message>
        <source>This booking was cancelled.</source>
        <translation>Pemesanan ini sudah dibatalkan.</translation>
    </message>
    <message>
        <source>This booking has already been checked in.</source>
        <translation>Pemesanan ini sudah check-in.</translation>
    </message>
    <message>
        <source>This device token does not belong to a kiosk.</source>
        <translation>Token perangkat ini bukan milik kios.</translation>
    </message>
    <message>
        <source>This window is for supervisors; sign in with a supervisor account.</source>
        <translation>Jendela ini untuk supervisor; masuk dengan akun supervisor.</translation>
    </message>
    <message>
        <source>Only a supervisor or an admin may see the reports.</source>
        <translation>Hanya supervisor atau admin yang dapat melihat laporan.</translation>
    </message>
    <message>
        <source>The time zone must be one of Indonesia&apos;s three.</source>
        <translation>Zona waktu harus WIB, WITA, atau WIT.</translation>
    </message>
    <message>
        <source>Give the branch this user belongs to.</source>
        <translation>Pilih kantor tempat pengguna ini bertugas.</translation>
    </message>
    <message>
        <source>That counter is in another branch.</source>
        <translation>Loket itu ada di kantor lain.</translation>
    </message>
    <message>
        <source>A service is listed twice for this counter.</source>
        <translation>Sebuah layanan tercantum dua kali untuk loket ini.</translation>
    </message>
    <message>
        <source>This Idempotency-Key was already used for another request.</source>
        <translation>Kunci idempotensi ini sudah dipakai untuk permintaan lain.</translation>
    </message>
    <message>
        <source>Some of the input is not valid.</source>
        <translation>Data yang diisi tidak valid.</translation>
    </message>
    <message>
        <source>The request body is not valid JSON.</source>
        <translation>Data yang dikirim bukan JSON yang valid.</translation>
    </message>
    <message>
        <source>Give the NIK used for the booking.</source>
        <translation>Masukkan NIK yang dipakai saat memesan.</translation>
    </message>
    <message>
        <source>A user&apos;s password is missing from the set-up.</source>
        <translation>Kata sandi pengguna tidak diberikan dalam berkas pengaturan.</translation>
    </message>
    <message>
        <source>A report covers at most 366 days.</source>
        <translation>Periode laporan paling lama 366 hari.</translation>
    </message>
    <message>
        <source>Please choose one answer for every question.</source>
        <translation>Mohon pilih satu jawaban untuk setiap pertanyaan.</translation>
    </message>
    <message>
        <source>The set-up names a counter that does not exist.</source>
        <translation>Berkas pengaturan menyebut loket yang tidak ada.</translation>
    </message>
    <message>
        <source>The set-up names a service that does not exist.</source>
        <translation>Berkas pengaturan menyebut layanan yang tidak ada.</translation>
    </message>
    <message>
        <source>Something went wrong on the server; it has been logged.</source>
        <translation>Terjadi kesalahan di server; kesalahan ini sudah dicatat.</translation>
    </message>
    <message>
        <source>No free booking code right now; try again.</source>
        <translation>Belum ada kode pemesanan yang bebas; coba lagi.</translation>
    </message>
    <message>
        <source>The server refused: {message}</source>
        <translation>Server menolak: {message}</translation>
    </message>
    <message>
        <source>Warning: the server at {address} shows a different security certificate than before. Someone may be intercepting the connection; nothing was sent. Tell the administrator (new fingerprint: {fingerprint}).</source>
        <translation>Peringatan: server di {address} menunjukkan sertifikat keamanan yang berbeda dari sebelumnya. Mungkin ada pihak yang menyadap sambungan; tidak ada data yang dikirim. Beri tahu administrator (sidik jari baru: {fingerprint}).</translation>
    </message>
    <message>
        <source>Cannot reach the server. Check the network; the app keeps trying.</source>
        <translation>Server tidak dapat dihubungi. Periksa jaringan; aplikasi terus mencoba.</translation>
    </message>
    <message>
        <source>Unexpected error: {error}</source>
        <translation>Kesalahan tak terduga: {error}</translation>
    </message>
    <message>
        <source>That device is not registered.</source>
        <translation>Perangkat itu tidak terdaftar.</translation>
    </message>
    <message>
        <source>This pairing code is wrong, used or expired. Ask for a new code.</source>
        <translation>Kode pemasangan salah, sudah dipakai, atau kedaluwarsa. Minta kode baru.</translation>
    </message>
</context>
<context>
    <name>NewPasswordDialog</name>
    <message>
        <source>Reset password</source>
        <translation>Atur ulang kata sandi</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Kata sandi baru</translation>
    </message>
    <message>
        <source>Once more</source>
        <translation>Ulangi</translation>
    </message>
    <message>
        <source>A new password for {name}. Their open sessions end.</source>
        <translation>Kata sandi baru untuk {name}. Sesi yang sedang terbuka akan berakhir.</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>Simpan kata sandi</translation>
    </message>
    <message>
        <source>A password needs at least {n} characters.</source>
        <translation>Kata sandi minimal {n} karakter.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Kedua kata sandi tidak sama.</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>Users</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Peran</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Nonaktifkan</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Aktifkan</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Atur ulang kata sandi…</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktif</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>nonaktif</translation>
    </message>
    <message>
        <source>{name} is disabled.</source>
        <translation>{name} dinonaktifkan.</translation>
    </message>
    <message>
        <source>{name} is enabled.</source>
        <translation>{name} diaktifkan.</translation>
    </message>
    <message>
        <source>{name} has a new password.</source>
        <translation>{name} memiliki kata sandi baru.</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>Admin PIN</source>
        <translation>PIN admin</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Buka</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN salah.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {minutes} minutes.</source>
        <translation>Terlalu banyak PIN salah. Coba lagi dalam {minutes} menit.</translation>
    </message>
</context>
<context>
    <name>PriorityPage</name>
    <message>
        <source>Do you need priority service?</source>
        <translation>Apakah Anda memerlukan layanan prioritas?</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>No, the regular queue</source>
        <translation>Tidak, antrean biasa</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>Transferred to this counter</source>
        <translation>Dialihkan ke loket ini</translation>
    </message>
</context>
<context>
    <name>QueuesTable</name>
    <message>
        <source>Service</source>
        <translation>Layanan</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Menunggu</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>Tunggu terlama</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>Perkiraan</translation>
    </message>
    <message>
        <source>no counter open</source>
        <translation>tidak ada loket buka</translation>
    </message>
</context>
<context>
    <name>RecentCalls</name>
    <message>
        <source>Recent calls</source>
        <translation>Panggilan terakhir</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Terlewat</translation>
    </message>
</context>
<context>
    <name>ReportChart</name>
    <message>
        <source>Tickets issued</source>
        <translation>Tiket diambil</translation>
    </message>
    <message>
        <source>Arrivals by hour of day</source>
        <translation>Kedatangan per jam</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>Jam</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>Tiket</translation>
    </message>
</context>
<context>
    <name>ReportPrint</name>
    <message>
        <source>Queue report — {office}</source>
        <translation>Laporan antrean — {office}</translation>
    </message>
    <message>
        <source>Period: {period}</source>
        <translation>Periode: {period}</translation>
    </message>
    <message>
        <source>Made {moment} · times are minutes:seconds</source>
        <translation>Dibuat {moment} · waktu dalam menit:detik</translation>
    </message>
    <message>
        <source>Arrivals by hour of day</source>
        <translation>Kedatangan per jam</translation>
    </message>
</context>
<context>
    <name>ReportTables</name>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Diambil</translation>
    </message>
    <message>
        <source>Served</source>
        <translation>Dilayani</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>Tidak hadir</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Dibatalkan</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>Dialihkan</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Kedaluwarsa</translation>
    </message>
    <message>
        <source>Mean wait</source>
        <translation>Rata-rata tunggu</translation>
    </message>
    <message>
        <source>90th percentile wait</source>
        <translation>Tunggu persentil 90</translation>
    </message>
    <message>
        <source>Mean service</source>
        <translation>Rata-rata layanan</translation>
    </message>
    <message>
        <source>Within target</source>
        <translation>Sesuai target</translation>
    </message>
    <message>
        <source>All services</source>
        <translation>Semua layanan</translation>
    </message>
    <message>
        <source>Per service</source>
        <translation>Per layanan</translation>
    </message>
    <message>
        <source>Per counter</source>
        <translation>Per loket</translation>
    </message>
    <message>
        <source>Per officer</source>
        <translation>Per petugas</translation>
    </message>
    <message>
        <source>Element</source>
        <translation>Unsur</translation>
    </message>
    <message>
        <source>Responses</source>
        <translation>Responden</translation>
    </message>
    <message>
        <source>IKM</source>
        <translation>IKM</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>Mutu</translation>
    </message>
    <message>
        <source>Satisfaction survey (IKM)</source>
        <translation>Survei Kepuasan Masyarakat (IKM)</translation>
    </message>
    <message>
        <source>IKM: no survey responses in this period</source>
        <translation>IKM: belum ada responden survei pada periode ini</translation>
    </message>
    <message>
        <source>IKM {index} · grade {grade} · {count} responses</source>
        <translation>IKM {index} · mutu {grade} · {count} responden</translation>
    </message>
</context>
<context>
    <name>ReportsLogin</name>
    <message>
        <source>Reports — sign in</source>
        <translation>Laporan — masuk</translation>
    </message>
    <message>
        <source>Sign in as a supervisor or admin</source>
        <translation>Masuk sebagai supervisor atau admin</translation>
    </message>
</context>
<context>
    <name>ReportsWindow</name>
    <message>
        <source>Reports</source>
        <translation>Laporan</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hari ini</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Minggu ini</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Bulan ini</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 hari terakhir</translation>
    </message>
    <message>
        <source>Chosen dates</source>
        <translation>Tanggal pilihan</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Tampilkan</translation>
    </message>
    <message>
        <source>Save CSV…</source>
        <translation>Simpan CSV…</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Ringkasan</translation>
    </message>
    <message>
        <source>Arrivals by hour</source>
        <translation>Kedatangan per jam</translation>
    </message>
    <message>
        <source>Satisfaction survey</source>
        <translation>Survei kepuasan</translation>
    </message>
    <message>
        <source>Save XLSX…</source>
        <translation>Simpan XLSX…</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>Simpan PDF…</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>from</source>
        <translation>dari</translation>
    </message>
    <message>
        <source>to</source>
        <translation>sampai</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Layanan</translation>
    </message>
    <message>
        <source>Counters</source>
        <translation>Loket</translation>
    </message>
    <message>
        <source>Officers</source>
        <translation>Petugas</translation>
    </message>
    <message>
        <source>Satisfaction (IKM)</source>
        <translation>Kepuasan (IKM)</translation>
    </message>
    <message>
        <source>Loading the report…</source>
        <translation>Memuat laporan…</translation>
    </message>
    <message>
        <source>Only a supervisor or an admin may see the reports.</source>
        <translation>Hanya supervisor atau admin yang dapat melihat laporan.</translation>
    </message>
    <message>
        <source>Your account may not see this office&apos;s reports.</source>
        <translation>Akun Anda tidak dapat melihat laporan kantor ini.</translation>
    </message>
    <message>
        <source>A report covers at most 366 days; choose a shorter period.</source>
        <translation>Satu laporan mencakup paling lama 366 hari; pilih periode yang lebih pendek.</translation>
    </message>
    <message>
        <source>Reports — {office}</source>
        <translation>Laporan — {office}</translation>
    </message>
    <message>
        <source>{count} tickets issued in this period.</source>
        <translation>{count} tiket diambil pada periode ini.</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Berkas CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Buku kerja Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>Dokumen PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>Simpan laporan</translation>
    </message>
    <message>
        <source>Saving {file}…</source>
        <translation>Menyimpan {file}…</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>Tersimpan: {path}</translation>
    </message>
    <message>
        <source>Could not write the file: {error}</source>
        <translation>Berkas tidak dapat ditulis: {error}</translation>
    </message>
    <message>
        <source>Staffing</source>
        <translation>Kebutuhan petugas</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>A new language shows the next time the app starts.</source>
        <translation>Bahasa yang baru dipakai saat aplikasi dibuka lagi.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source>Call keypad</source>
        <translation>Keypad pemanggil</translation>
    </message>
    <message>
        <source>Click a field, then press the keypad key for that action. F-keys always work.</source>
        <translation>Klik sebuah kolom, lalu tekan tombol keypad untuk tindakan itu. Tombol F selalu berfungsi.</translation>
    </message>
    <message>
        <source>Press a key</source>
        <translation>Tekan tombol</translation>
    </message>
    <message>
        <source>LED display above this counter</source>
        <translation>Papan LED di atas loket ini</translation>
    </message>
    <message>
        <source>Serial port and options (baud, address, encoder), or empty for none. Applies the next time the counter is opened.</source>
        <translation>Port serial dan pilihannya (baud, address, encoder), atau kosong bila tidak ada. Berlaku saat loket dibuka berikutnya.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>LED display: {error}</source>
        <translation>Papan LED: {error}</translation>
    </message>
    <message>
        <source>{key} is already used for “{action}”.</source>
        <translation>{key} sudah dipakai untuk “{action}”.</translation>
    </message>
</context>
<context>
    <name>ModeBand</name>
    <message>
        <source>SIMULATION — not real tickets</source>
        <translation>SIMULASI — bukan antrean sungguhan</translation>
    </message>
    <message>
        <source>TRAINING MODE — not real tickets</source>
        <translation>MODE LATIHAN — bukan antrean sungguhan</translation>
    </message>
</context>
<context>
    <name>StaffingPanel</name>
    <message>
        <source>Monday</source>
        <translation>Senin</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Selasa</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>Rabu</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>Kamis</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>Jumat</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>Sabtu</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Minggu</translation>
    </message>
    <message>
        <source>Advise</source>
        <translation>Hitung saran</translation>
    </message>
    <message>
        <source>Choose a weekday and how many past weeks to learn from, then Advise.</source>
        <translation>Pilih hari dan berapa minggu ke belakang yang dipelajari, lalu tekan Hitung saran.</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>Hari</translation>
    </message>
    <message>
        <source>weeks back</source>
        <translation>minggu ke belakang</translation>
    </message>
    <message>
        <source>Working out the advice…</source>
        <translation>Menghitung saran…</translation>
    </message>
    <message>
        <source>cannot keep up</source>
        <translation>tidak terkejar</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Layanan</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>Jam</translation>
    </message>
    <message>
        <source>Arrivals per hour</source>
        <translation>Kedatangan per jam</translation>
    </message>
    <message>
        <source>Mean service (min)</source>
        <translation>Rata-rata layanan (menit)</translation>
    </message>
    <message>
        <source>Target wait (min)</source>
        <translation>Target tunggu (menit)</translation>
    </message>
    <message>
        <source>Counters advised</source>
        <translation>Loket disarankan</translation>
    </message>
    <message>
        <source>Wait advised (min)</source>
        <translation>Tunggu bila sesuai saran (menit)</translation>
    </message>
    <message>
        <source>Counters open</source>
        <translation>Loket buka</translation>
    </message>
    <message>
        <source>Wait now (min)</source>
        <translation>Tunggu saat ini (menit)</translation>
    </message>
    <message>
        <source>From {first} to {last}: {count} hours with demand or open counters.</source>
        <translation>Dari {first} sampai {last}: {count} jam dengan kedatangan atau loket buka.</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Choose a service</source>
        <translation>Pilih layanan</translation>
    </message>
    <message>
        <source>Touch the service you need.</source>
        <translation>Sentuh layanan yang Anda perlukan.</translation>
    </message>
    <message>
        <source>Loading the services…</source>
        <translation>Memuat layanan…</translation>
    </message>
    <message>
        <source>I booked online: check in</source>
        <translation>Saya sudah booking online: check-in</translation>
    </message>
    <message>
        <source>Not available today</source>
        <translation>Tidak tersedia hari ini</translation>
    </message>
    <message>
        <source>Closed: no counter is open</source>
        <translation>Tutup: belum ada loket yang buka</translation>
    </message>
    <message>
        <source>Today&apos;s quota is used up</source>
        <translation>Kuota hari ini sudah habis</translation>
    </message>
</context>
<context>
    <name>Supervisor</name>
    <message>
        <source>Supervisor — sign in</source>
        <translation>Supervisor — masuk</translation>
    </message>
    <message>
        <source>Sign in to supervise the office</source>
        <translation>Masuk untuk mengawasi kantor</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <source>Connection to the server lost — retrying…</source>
        <translation>Koneksi ke server terputus — mencoba lagi…</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Memuat…</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Peringatan</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>Alihkan…</translation>
    </message>
    <message>
        <source>Move to front</source>
        <translation>Pindah ke depan</translation>
    </message>
    <message>
        <source>Cancel ticket</source>
        <translation>Batalkan nomor</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Running text…</source>
        <translation>Teks berjalan…</translation>
    </message>
    <message>
        <source>Reports…</source>
        <translation>Laporan…</translation>
    </message>
    <message>
        <source>Call a number back…</source>
        <translation>Panggil kembali nomor…</translation>
    </message>
    <message>
        <source>Users…</source>
        <translation>Pengguna…</translation>
    </message>
    <message>
        <source>Clear device faults</source>
        <translation>Hapus gangguan perangkat</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>Antrean</translation>
    </message>
    <message>
        <source>Waiting — drag a ticket onto a counter to transfer it</source>
        <translation>Menunggu — seret nomor ke loket untuk mengalihkannya</translation>
    </message>
    <message>
        <source>Supervisor — {branch}</source>
        <translation>Supervisor — {branch}</translation>
    </message>
    <message>
        <source>Running text: {text}</source>
        <translation>Teks berjalan: {text}</translation>
    </message>
    <message>
        <source>Alerts ({count})</source>
        <translation>Peringatan ({count})</translation>
    </message>
    <message>
        <source>Ticket transferred.</source>
        <translation>Nomor dialihkan.</translation>
    </message>
    <message>
        <source>Ticket moved to the front: it is called next.</source>
        <translation>Nomor dipindah ke depan: dipanggil berikutnya.</translation>
    </message>
    <message>
        <source>Ticket cancelled.</source>
        <translation>Nomor dibatalkan.</translation>
    </message>
    <message>
        <source>Running text sent to the displays.</source>
        <translation>Teks berjalan dikirim ke layar.</translation>
    </message>
    <message>
        <source>Ticket called.</source>
        <translation>Nomor dipanggil.</translation>
    </message>
    <message>
        <source>on break</source>
        <translation>istirahat</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>tutup</translation>
    </message>
    <message>
        <source>Counter not open</source>
        <translation>Loket tidak buka</translation>
    </message>
    <message>
        <source>{counter} is {state}. Ticket {number} will wait there, and nobody calls it until the counter opens. Transfer anyway?</source>
        <translation>{counter} sedang {state}. Nomor {number} akan menunggu di sana dan tidak dipanggil siapa pun sampai loket itu buka. Tetap alihkan?</translation>
    </message>
    <message>
        <source>Transfer anyway</source>
        <translation>Tetap alihkan</translation>
    </message>
    <message>
        <source>Choose another</source>
        <translation>Pilih yang lain</translation>
    </message>
    <message>
        <source>No counter is open and free to call a ticket to.</source>
        <translation>Tidak ada loket yang buka dan kosong untuk memanggil nomor.</translation>
    </message>
    <message>
        <source>Cancel ticket {number}? The citizen loses their place.</source>
        <translation>Batalkan nomor {number}? Warga kehilangan tempatnya di antrean.</translation>
    </message>
    <message>
        <source>Cancel the ticket</source>
        <translation>Batalkan nomor</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Jangan batalkan</translation>
    </message>
    <message>
        <source>Running text</source>
        <translation>Teks berjalan</translation>
    </message>
    <message>
        <source>Text running along the bottom of the displays (empty: none)</source>
        <translation>Teks yang berjalan di bagian bawah layar (kosong: tidak ada)</translation>
    </message>
    <message>
        <source>e.g. Counter 4 is closed for a break until 13.00</source>
        <translation>mis. Loket 4 istirahat sampai pukul 13.00</translation>
    </message>
    <message>
        <source>Devices…</source>
        <translation>Perangkat…</translation>
    </message>
</context>
<context>
    <name>SurveyStation</name>
    <message>
        <source>Counter {number}</source>
        <translation>Loket {number}</translation>
    </message>
    <message>
        <source>There is no counter {number} in this office.</source>
        <translation>Tidak ada loket {number} di kantor ini.</translation>
    </message>
</context>
<context>
    <name>SurveyWindow</name>
    <message>
        <source>Satisfaction survey — counter_app</source>
        <translation>Survei kepuasan — counter_app</translation>
    </message>
    <message>
        <source>Reconnecting to the server…</source>
        <translation>Menyambung ulang ke server…</translation>
    </message>
    <message>
        <source>Thank you</source>
        <translation>Terima kasih</translation>
    </message>
    <message>
        <source>After your service, please tell us here how satisfied you are.</source>
        <translation>Setelah dilayani, mohon sampaikan di sini seberapa puas Anda.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Kirim lagi</translation>
    </message>
    <message>
        <source>Satisfaction survey · ticket {number} · question {n} of {total}</source>
        <translation>Survei kepuasan · nomor {number} · pertanyaan {n} dari {total}</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Mengirim…</translation>
    </message>
    <message>
        <source>Thank you!</source>
        <translation>Terima kasih!</translation>
    </message>
    <message>
        <source>Your answers help us improve our service.</source>
        <translation>Jawaban Anda membantu kami memperbaiki pelayanan.</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Belum terkirim</translation>
    </message>
</context>
<context>
    <name>Ticket</name>
    <message>
        <source>QUEUE NUMBER</source>
        <translation>NOMOR ANTREAN</translation>
    </message>
    <message>
        <source>Priority: {name}</source>
        <translation>Prioritas: {name}</translation>
    </message>
    <message>
        <source>Date: {date}</source>
        <translation>Tanggal: {date}</translation>
    </message>
    <message>
        <source>Time: {time}</source>
        <translation>Jam: {time}</translation>
    </message>
    <message>
        <source>People ahead of you: {n}</source>
        <translation>Antrean di depan Anda: {n}</translation>
    </message>
    <message>
        <source>Estimated wait: {minutes} min</source>
        <translation>Perkiraan waktu tunggu: {minutes} menit</translation>
    </message>
    <message>
        <source>Estimated wait: {low}-{high} min</source>
        <translation>Perkiraan waktu tunggu: {low}-{high} menit</translation>
    </message>
    <message>
        <source>Estimated wait: -</source>
        <translation>Perkiraan waktu tunggu: -</translation>
    </message>
    <message>
        <source>Scan to follow your place in the queue:</source>
        <translation>Pindai untuk melihat status antrean:</translation>
    </message>
    <message>
        <source>Please wait until your number is called. Thank you.</source>
        <translation>Mohon menunggu panggilan. Terima kasih.</translation>
    </message>
</context>
<context>
    <name>TicketPage</name>
    <message>
        <source>Your queue number</source>
        <translation>Nomor antrean Anda</translation>
    </message>
    <message>
        <source>Scan with your phone to follow your place in the queue.</source>
        <translation>Pindai dengan ponsel untuk memantau antrean Anda.</translation>
    </message>
    <message>
        <source>Print again</source>
        <translation>Cetak ulang</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>People ahead of you: {n}</source>
        <translation>Antrean di depan Anda: {n}</translation>
    </message>
    <message>
        <source>Estimated wait: about {minutes} min</source>
        <translation>Perkiraan waktu tunggu: sekitar {minutes} menit</translation>
    </message>
    <message>
        <source>Estimated wait: about {low}-{high} min</source>
        <translation>Perkiraan waktu tunggu: sekitar {low}–{high} menit</translation>
    </message>
</context>
<context>
    <name>TicketPanel</name>
    <message>
        <source>No ticket at this counter</source>
        <translation>Belum ada nomor di loket ini</translation>
    </message>
    <message>
        <source> · priority</source>
        <translation> · prioritas</translation>
    </message>
    <message>
        <source>Online booking: {name}</source>
        <translation>Booking online: {name}</translation>
    </message>
    <message>
        <source>Called — waiting for the citizen</source>
        <translation>Dipanggil — menunggu warga datang</translation>
    </message>
    <message>
        <source>Being served</source>
        <translation>Sedang dilayani</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>Catatan: {note}</translation>
    </message>
    <message>
        <source>Waited {waited}</source>
        <translation>Menunggu {waited}</translation>
    </message>
    <message>
        <source>Serving for {served}</source>
        <translation>Dilayani selama {served}</translation>
    </message>
    <message>
        <source>Called {ago} ago</source>
        <translation>Dipanggil {ago} yang lalu</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer ticket {number}</source>
        <translation>Alihkan nomor {number}</translation>
    </message>
    <message>
        <source>To a counter</source>
        <translation>Ke loket</translation>
    </message>
    <message>
        <source>To a service queue</source>
        <translation>Ke antrean layanan</translation>
    </message>
    <message>
        <source>Optional note for the next officer</source>
        <translation>Catatan untuk petugas berikutnya (boleh dikosongkan)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Catatan</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Alihkan</translation>
    </message>
    <message>
        <source>open</source>
        <translation>buka</translation>
    </message>
    <message>
        <source>on break</source>
        <translation>istirahat</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>tutup</translation>
    </message>
    <message>
        <source>{counter} — {state}</source>
        <translation>{counter} — {state}</translation>
    </message>
    <message>
        <source>Counter not open</source>
        <translation>Loket tidak buka</translation>
    </message>
    <message>
        <source>{counter} is {state}. The ticket will wait there, and nobody calls it until the counter opens. Transfer anyway?</source>
        <translation>{counter} sedang {state}. Nomor ini akan menunggu di sana dan tidak dipanggil siapa pun sampai loket itu buka. Tetap alihkan?</translation>
    </message>
    <message>
        <source>Transfer anyway</source>
        <translation>Tetap alihkan</translation>
    </message>
    <message>
        <source>Choose another</source>
        <translation>Pilih yang lain</translation>
    </message>
</context>
<context>
    <name>UndoSkipBar</name>
    <message>
        <source>{number} skipped as a no-show.</source>
        <translation>{number} dilewati (tidak hadir).</translation>
    </message>
    <message>
        <source>Undo ({seconds} s) — Ctrl+Z</source>
        <translation>Urungkan ({seconds} dtk) — Ctrl+Z</translation>
    </message>
</context>
<context>
    <name>WaitingPanel</name>
    <message>
        <source>Waiting</source>
        <translation>Menunggu</translation>
    </message>
</context>
<context>
    <name>AddStationDialog</name>
    <message>
        <source>Add a station</source>
        <translation>Tambah stasiun</translation>
    </message>
    <message>
        <source>Waiting-room TV</source>
        <translation>TV ruang tunggu</translation>
    </message>
    <message>
        <source>Ticket kiosk</source>
        <translation>Kios tiket</translation>
    </message>
    <message>
        <source>Survey screen</source>
        <translation>Layar survei</translation>
    </message>
    <message>
        <source>e.g. TV lobby</source>
        <translation>mis. TV lobi</translation>
    </message>
    <message>
        <source>until revoked</source>
        <translation>sampai dicabut</translation>
    </message>
    <message>
        <source> days</source>
        <translation> hari</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Token lasts</source>
        <translation>Masa berlaku token</translation>
    </message>
    <message>
        <source>Make a pairing code</source>
        <translation>Buat kode pemasangan</translation>
    </message>
    <message>
        <source>Give the station a name.</source>
        <translation>Beri nama stasiun ini.</translation>
    </message>
</context>
<context>
    <name>DevicesDialog</name>
    <message>
        <source>Devices</source>
        <translation>Perangkat</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Terakhir terlihat</translation>
    </message>
    <message>
        <source>Token expires</source>
        <translation>Token berakhir</translation>
    </message>
    <message>
        <source>Add a station…</source>
        <translation>Tambah stasiun…</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Cabut</translation>
    </message>
    <message>
        <source>New token…</source>
        <translation>Token baru…</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktif</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>dicabut</translation>
    </message>
    <message>
        <source>no valid token</source>
        <translation>tanpa token berlaku</translation>
    </message>
    <message>
        <source>never</source>
        <translation>tidak pernah</translation>
    </message>
    <message>
        <source>TV / survey</source>
        <translation>TV / survei</translation>
    </message>
    <message>
        <source>kiosk</source>
        <translation>kios</translation>
    </message>
    <message>
        <source>Pairing code for {name} made.</source>
        <translation>Kode pemasangan untuk {name} dibuat.</translation>
    </message>
    <message>
        <source>Pairing code</source>
        <translation>Kode pemasangan</translation>
    </message>
    <message>
        <source>Type this code on the station ({name}) within 10 minutes, until {time}. It works once.</source>
        <translation>Ketik kode ini di stasiun ({name}) dalam 10 menit, sampai pukul {time}. Kode hanya berlaku sekali.</translation>
    </message>
    <message>
        <source>{name} is revoked: it stops now.</source>
        <translation>{name} dicabut: perangkat berhenti sekarang.</translation>
    </message>
    <message>
        <source>{name} has a new token; the old one stopped.</source>
        <translation>{name} mendapat token baru; token lama tidak berlaku lagi.</translation>
    </message>
    <message>
        <source>New device token</source>
        <translation>Token perangkat baru</translation>
    </message>
    <message>
        <source>Enter this token on {name} (its set-up) now: it is shown only once. Or revoke the device and add it again with a pairing code.</source>
        <translation>Masukkan token ini di {name} (pengaturannya) sekarang: token hanya ditampilkan sekali. Atau cabut perangkat lalu tambahkan lagi dengan kode pemasangan.</translation>
    </message>
</context>
<context>
    <name>FindServerBox</name>
    <message>
        <source>Search again</source>
        <translation>Cari lagi</translation>
    </message>
    <message>
        <source>Pair this station</source>
        <translation>Pasangkan stasiun ini</translation>
    </message>
    <message>
        <source>Servers found on this network</source>
        <translation>Server yang ditemukan di jaringan ini</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Alamat server</translation>
    </message>
    <message>
        <source>Pairing code</source>
        <translation>Kode pemasangan</translation>
    </message>
    <message>
        <source>A supervisor makes the code: supervisor window, Devices, Add a station. It works once, for 10 minutes.</source>
        <translation>Supervisor membuat kodenya: jendela supervisor, Perangkat, Tambah stasiun. Kode berlaku sekali, selama 10 menit.</translation>
    </message>
    <message>
        <source>Searching the network…</source>
        <translation>Mencari di jaringan…</translation>
    </message>
    <message>
        <source>{n} server(s) found.</source>
        <translation>{n} server ditemukan.</translation>
    </message>
    <message>
        <source>No server found: type its address below.</source>
        <translation>Tidak ada server ditemukan: ketik alamatnya di bawah.</translation>
    </message>
    <message>
        <source>Pick or type the server, then type the pairing code.</source>
        <translation>Pilih atau ketik server, lalu ketik kode pemasangan.</translation>
    </message>
    <message>
        <source>Paired as {name} ({branch}).</source>
        <translation>Terpasang sebagai {name} ({branch}).</translation>
    </message>
</context>
<context>
    <name>Pairing</name>
    <message>
        <source>Waiting-room TV — pairing</source>
        <translation>TV ruang tunggu — pemasangan</translation>
    </message>
    <message>
        <source>Survey screen — pairing</source>
        <translation>Layar survei — pemasangan</translation>
    </message>
</context>
<context>
    <name>SecretDialog</name>
    <message>
        <source>Done</source>
        <translation>Selesai</translation>
    </message>
</context>
<context>
    <name>StationPairingDialog</name>
    <message>
        <source>This screen is not paired with a server yet.</source>
        <translation>Layar ini belum dipasangkan dengan server.</translation>
    </message>
</context>
</TS>
