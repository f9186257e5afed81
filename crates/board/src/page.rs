//! The browser pages: the projector (projector.html, served at `/`, live
//! over Server-Sent Events) and the facilitator's control page
//! (control.html, at `/control`).

/// The projector page. Names reach the page only through `textContent`.
pub const PROJECTOR_HTML: &str = include_str!("projector.html");

/// The facilitator's control page. It holds no secret: the token comes from
/// the address's `#token=` fragment or is typed in.
pub const CONTROL_HTML: &str = include_str!("control.html");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_never_writes_html_from_data() {
        // Relative: the page works at `/` and under `/w/CODE/` alike.
        assert!(PROJECTOR_HTML.contains("EventSource(\"api/events\")"));
        assert!(!PROJECTOR_HTML.contains("\"/api/"));
        assert!(!CONTROL_HTML.contains("\"/api/"));
        // A refused stream (503 when full) is tried again.
        assert!(PROJECTOR_HTML.contains("setTimeout(connect"));
        assert!(!PROJECTOR_HTML.contains("innerHTML"));
        assert!(!PROJECTOR_HTML.contains("insertAdjacentHTML"));
        assert!(!PROJECTOR_HTML.contains("document.write"));
        for page in [PROJECTOR_HTML, CONTROL_HTML] {
            for unsafe_sink in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
            ] {
                assert!(!page.contains(unsafe_sink), "{unsafe_sink}");
            }
        }
        // The control page sends the token as a header, never in a URL.
        assert!(CONTROL_HTML.contains("\"Authorization\": \"Bearer \" + token"));
        assert!(!CONTROL_HTML.contains("?token="));
    }
}
