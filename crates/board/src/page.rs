//! The projector page: one self-contained HTML file (projector.html) served
//! at `/`, live over Server-Sent Events.

/// The projector page. Names reach the page only through `textContent`.
pub const PROJECTOR_HTML: &str = include_str!("projector.html");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_never_writes_html_from_data() {
        assert!(PROJECTOR_HTML.contains("EventSource(\"/api/events\")"));
        // A refused stream (503 when full) is tried again.
        assert!(PROJECTOR_HTML.contains("setTimeout(connect"));
        assert!(!PROJECTOR_HTML.contains("innerHTML"));
        assert!(!PROJECTOR_HTML.contains("insertAdjacentHTML"));
        assert!(!PROJECTOR_HTML.contains("document.write"));
    }
}
