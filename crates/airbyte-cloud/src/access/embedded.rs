//! Airbyte Embedded (Public API `/embedded`): a token for the widget an end user of your
//! product sees, an access token limited to one workspace, and the caller's organizations.
//! Tokens are [`Secret`]s: `Debug` hides them.

use airbyte_models::ops;
use airbyte_models::{
    EmbeddedOrganizationListItem, EmbeddedScopedTokenRequest, EmbeddedWidgetRequest, ListResponse,
    OrganizationId, Secret,
};

use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::{CloudWorkspace, Error, Result};

/// Checks that `origin` is a web origin as the widget needs it: `http` or `https`, a host, an
/// optional port, and nothing after (`https://app.example.com`, `http://localhost:3000`).
///
/// # Errors
///
/// [`Error::InvalidInput`] naming what is wrong.
pub fn check_allowed_origin(origin: &str) -> Result<()> {
    let problem = |why: &str| Err(Error::invalid(format!("allowed origin {origin:?} {why}")));
    let Some((scheme, rest)) = origin.split_once("://") else {
        return problem("is not an origin such as https://app.example.com");
    };
    if !matches!(scheme, "http" | "https") {
        return problem("must start with http:// or https://");
    }
    let host = rest.strip_suffix('/').unwrap_or(rest);
    if host.is_empty() {
        return problem("has no host");
    }
    if host.contains(['/', '?', '#', '@']) || host.chars().any(char::is_whitespace) {
        return problem("must be a scheme and a host only, without a path, query or user");
    }
    Ok(())
}

impl CloudWorkspace {
    /// A token for the Embedded widget, for an end user of your product (`external_user_id`,
    /// your ID of them) in an organization; the server gives each end user a workspace of
    /// their own, found again on later calls.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing sent) for a blank user ID or an origin that is not one
    /// (see [`check_allowed_origin`]); transport errors.
    pub async fn create_widget_token(
        &self,
        organization_id: &OrganizationId,
        external_user_id: &str,
        allowed_origin: &str,
    ) -> Result<Secret> {
        if external_user_id.trim().is_empty() {
            return Err(Error::invalid("an external user ID must not be empty"));
        }
        check_allowed_origin(allowed_origin)?;
        let request = EmbeddedWidgetRequest {
            allowed_origin: allowed_origin.to_owned(),
            external_user_id: external_user_id.to_owned(),
            organization_id: organization_id.clone(),
        };
        let answer = self
            .execute(ops::public::embedded::widget_token(&request))
            .await?;
        Ok(answer.token)
    }

    /// An access token that reaches this workspace only, to hand to code that must not reach
    /// the others (send it as a bearer token).
    ///
    /// # Errors
    ///
    /// Transport errors (403 when the credentials may not hand out tokens for this workspace).
    pub async fn create_scoped_token(&self) -> Result<Secret> {
        let request = EmbeddedScopedTokenRequest {
            workspace_id: self.id().clone(),
        };
        let answer = self
            .execute(ops::public::embedded::scoped_token(&request))
            .await?;
        Ok(answer.token)
    }

    /// The organizations of the user the credentials act as, each with the user's permission
    /// in it, answered in one request (see [`ListItems`] for filters).
    pub fn list_embedded_organizations(
        &self,
    ) -> ListItems<EmbeddedOrganizationListItem, EmbeddedOrganizationListItem> {
        let keys = ItemKeys {
            id: |organization: &EmbeddedOrganizationListItem| {
                organization.organization_id.to_string()
            },
            name: Some(|organization| &organization.organization_name),
        };
        ListItems::new(
            self,
            Paging::OneShot,
            "embedded organizations",
            keys,
            (),
            |request: ListRequest<()>| async move {
                let list = request
                    .workspace
                    .execute(ops::public::embedded::organizations())
                    .await?;
                Ok(ListResponse::new(list.organizations))
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::check_allowed_origin;

    #[test]
    fn origins_are_a_scheme_and_a_host() {
        assert!(check_allowed_origin("https://app.example.com").is_ok());
        assert!(check_allowed_origin("http://localhost:3000").is_ok());
        assert!(check_allowed_origin("https://app.example.com/").is_ok());
        assert!(check_allowed_origin("app.example.com").is_err());
        assert!(check_allowed_origin("ftp://app.example.com").is_err());
        assert!(check_allowed_origin("https://").is_err());
        assert!(check_allowed_origin("https://app.example.com/embed").is_err());
        assert!(check_allowed_origin("https://app.example.com?x=1").is_err());
    }
}
