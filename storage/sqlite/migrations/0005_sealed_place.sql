-- Schema version 5: the complaint's free-text place ("village or company") is sealed at rest
-- like the narrative (issue 8: a place typed by a worker was found in the WAL and in a backup).

-- Sealed with the FieldCipher under "cases.place:<reference>"; NULL when no place was typed.
-- From this version on `place` is always '': SQL cannot encrypt, so the program seals every
-- place still in clear right after this file, in the same transaction (seal_places_in_clear()
-- in case_store.cpp), and then empties the WAL.
ALTER TABLE cases ADD COLUMN place_sealed BLOB;
