"""Files shipped inside the wheel: sounds, icons, translations, sample office."""
