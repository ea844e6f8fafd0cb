//! Declared plausibility checks, read from the schema's `[[checks]]`: a failed check is an issue
//! with its evidence for a person, never an error that stops the run.
