//! foi-survey: turns the messy replies public bodies send to Freedom of Information
//! questionnaires into checked, tidy data and the statistics researchers publish.

pub mod analyse;
pub mod extract;
pub mod ingest;
pub mod inspect;
pub mod link;
pub mod observation;
pub mod pipeline;
pub mod register;
pub mod report;
pub mod review;
pub mod round;
pub mod schema;
pub mod standardise;
pub mod validate;
