//! What every request shares, Smart-Task or two-way: its subject (a company or a person), view
//! and list, protocol number, timeline, notifications, receipt and the conversation with the branch.

pub mod attachments;
pub mod conversation;
pub mod decision;
pub mod limiti;
pub mod list;
pub mod notifications;
pub mod protocol;
pub mod receipt;
pub mod soggetto;
pub mod timeline;
pub mod view;
