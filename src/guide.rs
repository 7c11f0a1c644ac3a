//! A guide (filled in below).
