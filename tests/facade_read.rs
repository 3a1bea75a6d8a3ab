//! How the facade reads a request (#12): ids share their text, a request that reads is
//! read once without tracking the path, and one that does not is read again to say
//! where, with the messages of before.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use ntm_rules::contract::{response_for, Request, RequestInput};
use ntm_rules::model::Limits;
use serde_json::Value;

const REQUEST: &str = include_str!("../examples/requests/province.json");

fn read_inputs(request: &Request) -> Vec<&ntm_rules::UnitInput> {
    request
        .inputs
        .iter()
        .filter_map(RequestInput::read)
        .collect()
}

#[test]
fn ids_read_by_the_facade_share_their_text() {
    let request = Request::from_json(REQUEST, &Limits::default()).unwrap();
    let inputs = read_inputs(&request);
    let (a, b) = (inputs[0], inputs[1]);
    let key = |i: &ntm_rules::UnitInput| {
        i.data
            .values
            .keys()
            .find(|k| k.as_str() == "1.1")
            .unwrap()
            .as_str()
            .as_ptr()
    };
    // The same indicator id in two inputs: one text.
    assert_eq!(key(a), key(b));
    // A unit's code and its input's unit: one text.
    let unit = request
        .units
        .iter()
        .find(|u| u.code == a.data.unit)
        .unwrap();
    assert_eq!(unit.code.as_str().as_ptr(), a.data.unit.as_str().as_ptr());
    // Read plainly, the texts are not shared, and the request is the same.
    let plain: Request = serde_json::from_str(REQUEST).unwrap();
    let plain_inputs = read_inputs(&plain);
    assert_ne!(key(plain_inputs[0]), key(plain_inputs[1]));
    assert_eq!(plain, request);
}

#[test]
fn an_id_given_as_a_number_is_refused_with_its_pointer_and_the_message_of_before() {
    let mut request: Value = serde_json::from_str(REQUEST).unwrap();
    request["units"][2]["code"] = 5.into();
    let response = response_for(&request.to_string(), &Limits::default());
    assert!(!response.ok);
    let d = &response.diagnostics[0];
    assert_eq!(d.message, "invalid type: integer `5`, expected a string");
    assert_eq!(
        d.location.pointer.as_ref().unwrap().as_str(),
        "/units/2/code"
    );
}

#[test]
fn a_request_that_does_not_read_is_read_again_to_name_the_pointer() {
    let mut request: Value = serde_json::from_str(REQUEST).unwrap();
    request["units"][3]["level"] = "hamlet".into();
    let text = request.to_string();
    let response = response_for(&text, &Limits::default());
    assert!(!response.ok);
    let d = &response.diagnostics[0];
    assert_eq!(
        d.location.pointer.as_ref().unwrap().as_str(),
        "/units/3/level"
    );
    assert!(
        d.message.starts_with("unknown variant `hamlet`"),
        "{}",
        d.message
    );
    // Request::from_json says the same.
    let e = Request::from_json(&text, &Limits::default()).unwrap_err();
    assert_eq!(e.pointer().as_str(), "/units/3/level");
    assert_eq!(e.message(), d.message);
    // Trailing text after the request is still refused.
    assert!(Request::from_json(&format!("{REQUEST} 1"), &Limits::default()).is_err());
}

#[test]
fn request_from_json_checks_the_size_before_parsing() {
    let small = Limits::default().max_bytes(100);
    let e = Request::from_json(REQUEST, &small).unwrap_err();
    assert!(e.message().contains("100"), "{}", e.message());
}
