//! foi-survey: turns the messy replies public bodies send to Freedom of Information
//! questionnaires into checked, tidy data and the statistics researchers publish.

#[cfg(feature = "stats")]
pub mod analyse;
#[cfg(feature = "stats")]
pub mod compare;
pub mod extract;
pub mod ingest;
#[cfg(feature = "stats")]
pub mod inspect;
pub mod link;
pub mod observation;
#[cfg(feature = "stats")]
pub mod pipeline;
pub mod reference;
pub mod register;
#[cfg(feature = "stats")]
pub mod report;
#[cfg(feature = "stats")]
pub mod review;
pub mod round;
pub mod schema;
#[cfg(feature = "stats")]
pub mod spend;
pub mod standardise;
pub mod validate;
