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
    <name>CallPanel</name>
    <message>
        <source>Now calling</source>
        <translation>Panggilan saat ini</translation>
    </message>
</context>
<context>
    <name>CounterController</name>
    <message>
        <source>Nobody is waiting for this counter.</source>
        <translation>Tidak ada yang menunggu untuk loket ini.</translation>
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
    <name>DisplayStation</name>
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
        <source>This counter is not open under your name.</source>
        <translation>Loket ini tidak dibuka atas nama Anda.</translation>
    </message>
    <message>
        <source>That ticket is not at your counter.</source>
        <translation>Nomor itu tidak berada di loket Anda.</translation>
    </message>
    <message>
        <source>That is not possible for this ticket any more.</source>
        <translation>Tindakan itu sudah tidak bisa dilakukan untuk nomor ini.</translation>
    </message>
    <message>
        <source>There is no ticket with that number today.</source>
        <translation>Hari ini tidak ada nomor antrean itu.</translation>
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
        <source>Too many requests; wait a moment.</source>
        <translation>Terlalu banyak permintaan; tunggu sebentar.</translation>
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
        <source>The server refused: {message}</source>
        <translation>Server menolak: {message}</translation>
    </message>
    <message>
        <source>Cannot reach the server. Check the network; the app keeps trying.</source>
        <translation>Server tidak dapat dihubungi. Periksa jaringan; aplikasi terus mencoba.</translation>
    </message>
    <message>
        <source>Unexpected error: {error}</source>
        <translation>Kesalahan tak terduga: {error}</translation>
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
    <name>RecentCalls</name>
    <message>
        <source>Recent calls</source>
        <translation>Panggilan terakhir</translation>
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
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>{key} is already used for “{action}”.</source>
        <translation>{key} sudah dipakai untuk “{action}”.</translation>
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
</context>
<context>
    <name>WaitingPanel</name>
    <message>
        <source>Waiting</source>
        <translation>Menunggu</translation>
    </message>
</context>
</TS>
