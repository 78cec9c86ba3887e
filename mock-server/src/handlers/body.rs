//! Validating request bodies the way the server does: a missing required field is a 400 with
//! an `errorId` body (bean validation), a value of the wrong type or an unknown enum value a 422
//! (the JSON could not be mapped to the model).

use http::StatusCode;
use serde_json::{Map, Value};

use crate::answer::Resp;

/// A JSON object body.
pub(crate) struct Body(pub(crate) Map<String, Value>);

fn missing() -> Resp {
    Resp::error_id(StatusCode::BAD_REQUEST)
}

fn wrong_type() -> Resp {
    Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY)
}

impl Body {
    /// A body, which must be a JSON object.
    pub(crate) fn of(value: Value) -> Result<Self, Resp> {
        match value {
            Value::Object(map) => Ok(Self(map)),
            _ => Err(wrong_type()),
        }
    }

    fn present(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|value| !value.is_null())
    }

    pub(crate) fn str_req(&self, key: &str) -> Result<String, Resp> {
        self.str_opt(key)?.ok_or_else(missing)
    }

    pub(crate) fn str_opt(&self, key: &str) -> Result<Option<String>, Resp> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(wrong_type()),
        }
    }

    pub(crate) fn i64_req(&self, key: &str) -> Result<i64, Resp> {
        match self.present(key) {
            None => Err(missing()),
            Some(value) => value.as_i64().ok_or_else(wrong_type),
        }
    }

    pub(crate) fn bool_opt(&self, key: &str) -> Result<Option<bool>, Resp> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(_) => Err(wrong_type()),
        }
    }

    pub(crate) fn object_req(&self, key: &str) -> Result<Map<String, Value>, Resp> {
        self.object_opt(key)?.ok_or_else(missing)
    }

    pub(crate) fn object_opt(&self, key: &str) -> Result<Option<Map<String, Value>>, Resp> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map.clone())),
            Some(_) => Err(wrong_type()),
        }
    }

    pub(crate) fn array_opt(&self, key: &str) -> Result<Option<Vec<Value>>, Resp> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items.clone())),
            Some(_) => Err(wrong_type()),
        }
    }

    /// Any JSON value (required).
    pub(crate) fn value_req(&self, key: &str) -> Result<Value, Resp> {
        self.present(key).cloned().ok_or_else(missing)
    }

    /// An enum value, matched case-insensitively like the server against the values it
    /// knows (a model enum's `KNOWN`); a value outside them is a 422.
    pub(crate) fn enum_opt<T: Clone + std::fmt::Display>(
        &self,
        key: &str,
        allowed: &[T],
    ) -> Result<Option<T>, Resp> {
        match self.str_opt(key)? {
            None => Ok(None),
            Some(text) => find_known(allowed, &text).map(Some).ok_or_else(wrong_type),
        }
    }

    pub(crate) fn enum_req<T: Clone + std::fmt::Display>(
        &self,
        key: &str,
        allowed: &[T],
    ) -> Result<T, Resp> {
        self.enum_opt(key, allowed)?.ok_or_else(missing)
    }
}

/// The known value spelled `text`, in any case.
pub(crate) fn find_known<T: Clone + std::fmt::Display>(allowed: &[T], text: &str) -> Option<T> {
    allowed
        .iter()
        .find(|candidate| candidate.to_string().eq_ignore_ascii_case(text))
        .cloned()
}
