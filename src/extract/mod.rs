//! From news items to contacts (`partylink extract`): read the items ([`news`], [`page`]) and
//! tell what each reports ([`kind`]).

pub mod cues;
pub mod doc;
pub mod kind;
pub mod news;
pub mod page;
pub mod places;
pub mod text;

pub use kind::{ItemKind, classify};
pub use news::{NewsItem, read_news};
