//! Reading claims of a JWT access token, without verifying it: the client only needs to know
//! when the server will stop accepting the token, which can be earlier than `expires_in` says
//! (the server has reported 900 s for a 180 s token), and which user it acts as.

use base64::Engine as _;

/// The claims of `token`, when it is a JWT whose payload is a JSON object.
fn claims(token: &str) -> Option<serde_json::Value> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let payload = payload.trim_end_matches('=');
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(payload))
        .ok()?;
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .filter(serde_json::Value::is_object)
}

/// The identity-provider ID of the user a token acts as: its `user_id` claim, else its `sub`
/// claim (Airbyte puts the user in `user_id`; other issuers use `sub`).
pub(crate) fn user_claim(token: &str) -> Option<String> {
    let claims = claims(token)?;
    ["user_id", "sub"]
        .iter()
        .filter_map(|name| claims.get(*name)?.as_str())
        .find(|value| !value.trim().is_empty())
        .map(str::to_owned)
}

/// The `exp` claim (seconds since the Unix epoch), when `token` is a JWT that has one.
pub(crate) fn expiry_claim(token: &str) -> Option<i64> {
    let claims = claims(token)?;
    let exp = claims.get("exp")?;
    exp.as_i64()
        .or_else(|| exp.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let encode = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
        format!("{}.{}.sig", encode(r#"{"alg":"RS256"}"#), encode(claims))
    }

    #[test]
    fn exp_is_read_from_a_jwt() {
        assert_eq!(
            expiry_claim(&jwt(r#"{"sub":"x","exp":1714566780}"#)),
            Some(1_714_566_780)
        );
        assert_eq!(
            expiry_claim(&jwt(r#"{"exp":1714566780.5}"#)),
            Some(1_714_566_780)
        );
        assert_eq!(expiry_claim(&jwt(r#"{"sub":"x"}"#)), None);
        assert_eq!(expiry_claim("opaque-token"), None);
        assert_eq!(expiry_claim("a.b.c.d"), None);
        assert_eq!(expiry_claim("a.!!!.c"), None);
    }

    #[test]
    fn the_user_is_the_user_id_claim_else_the_subject() {
        assert_eq!(
            user_claim(&jwt(r#"{"sub":"client","user_id":"auth|ada"}"#)).as_deref(),
            Some("auth|ada")
        );
        assert_eq!(
            user_claim(&jwt(r#"{"sub":"auth|ada"}"#)).as_deref(),
            Some("auth|ada")
        );
        assert_eq!(
            user_claim(&jwt(r#"{"sub":"auth|ada","user_id":""}"#)).as_deref(),
            Some("auth|ada")
        );
        assert_eq!(user_claim(&jwt(r#"{"sub":7}"#)), None);
        assert_eq!(user_claim(&jwt("[1]")), None);
        assert_eq!(user_claim("opaque-token"), None);
    }
}
