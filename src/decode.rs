//! Decoding input bytes to text and encoding text back.
