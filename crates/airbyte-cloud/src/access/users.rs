//! The users of an organization (`GET /users`), with the server's ID and email filters.

use airbyte_models::ops::{self, UserListParams};
use airbyte_models::{ListResponse, OrganizationId, UserId, UserResponse};

use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::{CloudWorkspace, Error, ResourceKind, Result};

/// The users of an organization: returned by [`CloudWorkspace::list_users`], with the
/// server's ID and email filters besides those of every [`ListItems`].
pub type OrganizationUsers = ListItems<UserResponse, UserResponse, UserSearch>;

/// The server-side filters of [`OrganizationUsers`]; set through its builder methods.
#[derive(Clone, Debug)]
pub struct UserSearch {
    organization_id: OrganizationId,
    ids: Vec<UserId>,
    emails: Vec<String>,
}

impl CloudWorkspace {
    /// The users of an organization, answered in one request (see [`OrganizationUsers`] for
    /// its ID and email filters, [`ListItems`] for the others). [`ListItems::name`] matches
    /// the user's name.
    ///
    /// Streaming it fails with [`Error::InvalidInput`] before anything is sent when an email
    /// filter is not an address; with [`Error::MissingResource`] when the organization does
    /// not exist.
    pub fn list_users(&self, organization_id: &OrganizationId) -> OrganizationUsers {
        let keys = ItemKeys {
            id: |user: &UserResponse| user.id.to_string(),
            name: Some(|user| &user.name),
        };
        let query = UserSearch {
            organization_id: organization_id.clone(),
            ids: Vec::new(),
            emails: Vec::new(),
        };
        ListItems::new(
            self,
            Paging::OneShot,
            "users",
            keys,
            query,
            |request: ListRequest<UserSearch>| async move {
                let search = request.query;
                if let Some(email) = search.emails.iter().find(|email| !is_email(email)) {
                    return Err(Error::invalid(format!("{email:?} is not an email address")));
                }
                let params = UserListParams {
                    organization_id: search.organization_id.clone(),
                    ids: search.ids,
                    emails: search.emails,
                };
                let users = request
                    .workspace
                    .client()
                    .execute(ops::public::users::list(&params))
                    .await
                    .map_err(missing_on_404(
                        ResourceKind::Organization,
                        search.organization_id.as_str(),
                    ))?;
                Ok(ListResponse::new(users.data))
            },
        )
    }

    /// The user of an organization with this email address (compared as the server compares
    /// them, without regard to case), if any.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing sent) when `email` is not an address;
    /// [`Error::MissingResource`] for an unknown organization; transport errors.
    pub async fn fetch_user_by_email(
        &self,
        organization_id: &OrganizationId,
        email: &str,
    ) -> Result<Option<UserResponse>> {
        self.list_users(organization_id)
            .emails([email])
            .first()
            .await
    }
}

impl OrganizationUsers {
    /// Only these users (filtered by the server).
    pub fn ids<'a>(mut self, ids: impl IntoIterator<Item = &'a UserId>) -> Self {
        self.query_mut().ids.extend(ids.into_iter().cloned());
        self
    }

    /// Only the users with these email addresses (filtered by the server, without regard to
    /// case).
    pub fn emails<S: Into<String>>(mut self, emails: impl IntoIterator<Item = S>) -> Self {
        self.query_mut()
            .emails
            .extend(emails.into_iter().map(Into::into));
        self
    }
}

/// Whether `text` looks like an email address: something, `@`, a domain, no spaces.
fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_email;

    #[test]
    fn email_filters_are_addresses() {
        assert!(is_email("ada@acme.example"));
        assert!(!is_email("ada"));
        assert!(!is_email("@acme.example"));
        assert!(!is_email("ada@"));
        assert!(!is_email("ada smith@acme.example"));
        assert!(!is_email("a@b@c"));
    }
}
