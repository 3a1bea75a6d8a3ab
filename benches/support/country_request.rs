//! The country-sized request of the facade bench and its memory test: the bundled Bắc
//! Giang 2022 data set copied `copies` times into one request (units renamed
//! `NN-<code>`, the plan left out), as compact JSON text. Included by `#[path]`.

use ntm_rules::contract::{Request, RequestInput};
use ntm_rules::model::UnitCode;

/// The Bắc Giang request copied `copies` times, as compact JSON text.
pub(crate) fn country_request(copies: usize) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bac_giang_2022");
    let one = Request::from_dir(dir).unwrap();
    let mut all = one.clone();
    all.units.clear();
    all.inputs.clear();
    // The plan names one province; the copies have none.
    all.plan = None;
    for copy in 0..copies {
        let rename = |c: &UnitCode| UnitCode::new(format!("{copy:02}-{c}"));
        for u in &one.units {
            let mut u = u.clone();
            u.code = rename(&u.code);
            u.parent = u.parent.as_ref().map(rename);
            u.merged_from = u.merged_from.iter().map(rename).collect();
            all.units.push(u);
        }
        for i in &one.inputs {
            let mut i = i.read().unwrap().clone();
            i.data.unit = rename(&i.data.unit);
            all.inputs.push(RequestInput::from(i));
        }
    }
    serde_json::to_string(&all).unwrap()
}
