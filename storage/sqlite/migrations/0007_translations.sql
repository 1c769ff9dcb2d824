-- Schema version 7: translations that keep the original (docs/domain.md "Translations"). A
-- translation is a case event whose text is sealed like a message's; it names the event it
-- translates (its seq in the same case: the `filed` event for the narrative) and its language.
-- NULL for every earlier event, so their hash is unchanged.

ALTER TABLE case_events ADD COLUMN translates INTEGER;
ALTER TABLE case_events ADD COLUMN language TEXT;
