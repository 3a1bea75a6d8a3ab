//! Sharing the text of ids while a large document is read: inside an [`InternScope`],
//! every id read from JSON ([`UnitCode`](crate::model::UnitCode),
//! [`IndicatorId`](crate::model::IndicatorId), …) with a text already read in the scope
//! shares that text instead of allocating its own copy. A country-sized request repeats
//! a few dozen indicator ids hundreds of thousands of times, and every unit code twice
//! (the unit, the parent of its children, its input): one allocation per distinct text
//! instead of one per occurrence. Outside a scope, ids are read as before; the ids read
//! are equal either way (only the sharing differs).

use crate::model::fast_hash::HashSet;
use std::cell::RefCell;
use std::sync::Arc;

thread_local! {
    /// The texts read so far in the scope in force on this thread, if any.
    static TEXTS: RefCell<Option<HashSet<Arc<str>>>> = const { RefCell::new(None) };
}

/// Shares the text of the ids read on this thread until dropped (then restores the
/// scope before it, so reads may nest; a nested scope starts empty).
#[derive(Debug)]
pub(crate) struct InternScope(Option<HashSet<Arc<str>>>);

impl InternScope {
    /// Puts a new scope in force.
    pub(crate) fn enter() -> InternScope {
        InternScope(TEXTS.with(|t| t.replace(Some(HashSet::default()))))
    }
}

impl Drop for InternScope {
    fn drop(&mut self) {
        let previous = self.0.take();
        TEXTS.with(|t| {
            // Never borrowed here: `shared` holds its borrow only while it runs.
            if let Ok(mut texts) = t.try_borrow_mut() {
                *texts = previous;
            }
        });
    }
}

/// The text as an `Arc<str>`: the one already read in the scope in force when there is
/// one, otherwise a new one.
pub(crate) fn shared(text: &str) -> Arc<str> {
    TEXTS.with(|t| match t.try_borrow_mut().ok().as_deref_mut() {
        Some(Some(texts)) => match texts.get(text) {
            Some(known) => Arc::clone(known),
            None => {
                let new: Arc<str> = Arc::from(text);
                texts.insert(Arc::clone(&new));
                new
            }
        },
        _ => Arc::from(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_in_a_scope_share_their_text_and_outside_do_not() {
        let outside = (shared("10.1"), shared("10.1"));
        assert!(!Arc::ptr_eq(&outside.0, &outside.1));
        let scope = InternScope::enter();
        let (a, b) = (shared("10.1"), shared("10.1"));
        assert!(Arc::ptr_eq(&a, &b));
        {
            let _nested = InternScope::enter();
            assert!(!Arc::ptr_eq(&shared("10.1"), &a));
        }
        assert!(Arc::ptr_eq(&shared("10.1"), &a));
        drop(scope);
        assert!(!Arc::ptr_eq(&shared("10.1"), &a));
        assert_eq!(&*shared("10.1"), "10.1");
    }
}
