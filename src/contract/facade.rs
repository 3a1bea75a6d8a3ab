//! The text in, text out facade: [`handle_json`] (the command line, the C ABI, Python
//! and WebAssembly call it) and [`response_for`], never panicking.

use crate::contract::prepare::prepare;
use crate::contract::request::{Request, VERSION};
use crate::contract::response::{error, load_error, Response, RunError};
use crate::contract::response_writer;
use crate::contract::run::run;
use crate::model::{JsonPointer, Limits, Location};
use serde::Deserialize;

/// Handles a request given as JSON text and returns the response as JSON text. Never
/// panics; every problem is reported in the response's diagnostics.
///
/// # Example
///
/// ```
/// let response = ntm_rules::contract::handle_json(r#"{"version": 2}"#);
/// let value: serde_json::Value = serde_json::from_str(&response).unwrap();
/// assert_eq!(value["ok"], false);
/// assert_eq!(value["diagnostics"][0]["pointer"], "/version");
/// assert_eq!(
///     value["diagnostics"][0]["message"],
///     "unsupported request version 2; this crate speaks version 1"
/// );
/// ```
pub fn handle_json(request: &str) -> String {
    handle_json_with_limits(request, &Limits::default())
}

/// [`handle_json`] with input limits (size, nesting depth, number of units). The
/// response is compact JSON.
///
/// The text is the one [`response_for`] gives, written as JSON (`serde_json::to_string`),
/// byte for byte; but unless the request asks planning questions or for milestones,
/// the response is written straight from a compact pass
/// ([`aggregate_compact`](crate::tree::aggregate_compact)), each unit's full result built
/// when it is written, so that no [`Response`] holding them all is ever built.
pub fn handle_json_with_limits(request: &str, limits: &Limits) -> String {
    let written = match read(request, limits) {
        Ok(request) => match prepare(request) {
            Ok(prepared) => response_writer::write(prepared),
            Err(e) => serde_json::to_string(e.response()),
        },
        Err(failed) => serde_json::to_string(failed.response()),
    };
    written.unwrap_or_else(|e| {
        // A `Value` always writes; the message is escaped as JSON.
        serde_json::json!({
            "version": VERSION,
            "ok": false,
            "results": {},
            "summaries": {},
            "diagnostics": [{
                "severity": "error",
                "message": format!("cannot write the response: {e}"),
            }],
        })
        .to_string()
    })
}

/// Handles a request given as JSON text and returns the [`Response`].
pub fn response_for(request: &str, limits: &Limits) -> Response {
    let request = match read(request, limits) {
        Ok(r) => r,
        Err(failed) => return failed.into_response(),
    };
    match run(request) {
        Ok(run) => run.into_response(),
        Err(e) => e.into_response(),
    }
}

/// Reads a request within the limits, or gives the failed response that says why not.
fn read(request: &str, limits: &Limits) -> Result<Request, RunError> {
    // An input over the size or depth limit is refused without being parsed.
    if let Err(e) = limits.check_text("request", request) {
        return Err(RunError::failed(vec![load_error(&e, None)]));
    }
    // The unit limit is checked while reading: parsing stops at the first unit past it.
    let request = match Request::from_checked_json(request, limits) {
        Ok(r) => r,
        Err(e) => {
            // A request of another version may not parse at all: say so first.
            #[derive(Deserialize)]
            struct Peek {
                version: Option<u32>,
            }
            let mut diagnostics = Vec::new();
            if let Ok(Peek { version: Some(v) }) = serde_json::from_str::<Peek>(request) {
                if v != VERSION {
                    diagnostics.push(error(
                        Location::at(JsonPointer::root().child("version")),
                        format!(
                            "unsupported request version {v}; this crate speaks version {VERSION}"
                        ),
                    ));
                }
            }
            diagnostics.push(load_error(&e, None));
            return Err(RunError::failed(diagnostics));
        }
    };
    if let Err(d) = crate::contract::request_limits::check_request(&request, limits) {
        return Err(RunError::failed(vec![*d]));
    }
    Ok(request)
}
