-- Before a restore renames the new file over the old one: write the old file's log into it, so no .wal of the
-- old file is left beside the new one (dataio/backup.py restore_zip).
CHECKPOINT
