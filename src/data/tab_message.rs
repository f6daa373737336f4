//! A message between one tab and its job, which the layers in between
//! (the central [`super::DataEvent`] and [`super::DataCommand`], the
//! refresher, the app's event loop) carry without knowing its type. Only
//! the tab and its job name the type: the tab asks with
//! `DataCommand::tab(its command)` and reads its answers with
//! `event.for_tab::<its event>()`, so adding a tab adds no variant to the
//! central enums nor a line to their matches.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// What a message may hold: anything that can cross threads, be printed
/// in a failed test and be compared.
trait Payload: Any + Send + Sync + fmt::Debug {
    /// Itself, to be downcast.
    fn as_any(&self) -> &dyn Any;

    /// Whether `other` holds the same type and an equal value.
    fn equals(&self, other: &dyn Payload) -> bool;
}

impl<T: Any + Send + Sync + fmt::Debug + PartialEq> Payload for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn equals(&self, other: &dyn Payload) -> bool {
        other.as_any().downcast_ref::<T>() == Some(self)
    }
}

/// One tab's event or command, of a type only that tab and its job know.
#[derive(Clone)]
pub struct TabMessage(Arc<dyn Payload>);

impl TabMessage {
    /// Wraps `message`.
    pub fn new<T: Any + Send + Sync + fmt::Debug + PartialEq>(message: T) -> Self {
        Self(Arc::new(message))
    }

    /// The message, if it is a `T`.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.as_any().downcast_ref()
    }

    /// The message as a `T` (moved out when this is its only holder), or
    /// the message back when it is another type.
    pub fn take<T: Any + Send + Sync + Clone>(self) -> Result<T, Self> {
        let any: Arc<dyn Any + Send + Sync> = Arc::clone(&self.0) as _;
        match any.downcast::<T>() {
            Ok(message) => {
                drop(self);
                Ok(Arc::try_unwrap(message).unwrap_or_else(|shared| (*shared).clone()))
            }
            Err(_) => Err(self),
        }
    }
}

impl fmt::Debug for TabMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl PartialEq for TabMessage {
    fn eq(&self, other: &Self) -> bool {
        self.0.equals(other.0.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Ask(u32);

    #[derive(Debug, Clone, PartialEq)]
    struct Other(u32);

    #[test]
    fn a_message_is_read_only_as_its_own_type() {
        let message = TabMessage::new(Ask(7));
        assert_eq!(message.get::<Ask>(), Some(&Ask(7)));
        assert_eq!(message.get::<Other>(), None);
    }

    #[test]
    fn take_gives_the_message_back_when_it_is_another_type() {
        let message = TabMessage::new(Ask(7));
        let back = message.take::<Other>().expect_err("not an Other");
        assert_eq!(back.take::<Ask>(), Ok(Ask(7)));
    }

    #[test]
    fn take_of_a_shared_message_leaves_the_other_holder_its_copy() {
        let message = TabMessage::new(Ask(7));
        let kept = message.clone();
        assert_eq!(message.take::<Ask>(), Ok(Ask(7)));
        assert_eq!(kept.get::<Ask>(), Some(&Ask(7)));
    }

    #[test]
    fn messages_are_equal_only_with_the_same_type_and_value() {
        assert_eq!(TabMessage::new(Ask(1)), TabMessage::new(Ask(1)));
        assert_ne!(TabMessage::new(Ask(1)), TabMessage::new(Ask(2)));
        assert_ne!(TabMessage::new(Ask(1)), TabMessage::new(Other(1)));
        assert_eq!(format!("{:?}", TabMessage::new(Ask(3))), "Ask(3)");
    }
}
