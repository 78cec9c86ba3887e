//! TLS settings: which certificate authorities are trusted, and the client's own certificate
//! for mutual TLS. Everything is rustls with the `ring` provider.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore};
use secrecy::{ExposeSecret, SecretSlice};

use crate::Error;

/// The certificate authorities trusted before any extra CA file is added.
///
/// The default, [`TrustRoots::BundledAndSystem`], works both where the operating system's store
/// holds a company's certificate authority and in a minimal container that has no store at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustRoots {
    /// The Mozilla roots built into this library (`webpki-roots`): the same on every machine.
    Bundled,
    /// The operating system's store. On Linux and other Unix systems that is where OpenSSL
    /// looks, or `SSL_CERT_FILE` and `SSL_CERT_DIR` when either is set, as OpenSSL does; the
    /// keychain on macOS; the system store on Windows. Building the client fails when the
    /// store holds no certificate.
    System,
    /// Both (the default). A system store that cannot be read is then skipped with a warning.
    #[default]
    BundledAndSystem,
}

impl TrustRoots {
    /// The name used in settings (`bundled`, `system`, `bundled+system`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bundled => "bundled",
            Self::System => "system",
            Self::BundledAndSystem => "bundled+system",
        }
    }
}

impl std::str::FromStr for TrustRoots {
    type Err = String;

    /// `bundled`, `system`, or `bundled+system` (also `both`), ignoring case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "bundled" | "webpki" => Ok(Self::Bundled),
            "system" | "native" => Ok(Self::System),
            "bundled+system" | "both" => Ok(Self::BundledAndSystem),
            other => Err(format!(
                "unknown trust roots {other:?}: expected bundled, system or bundled+system"
            )),
        }
    }
}

impl fmt::Display for TrustRoots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// PEM text, or the file to read it from when the client is built.
#[derive(Clone)]
enum Pem {
    File(PathBuf),
    Text(Arc<[u8]>),
}

impl Pem {
    /// Where the PEM comes from, for messages.
    fn describe(&self) -> String {
        match self {
            Self::File(path) => path.display().to_string(),
            Self::Text(_) => "PEM given in memory".to_owned(),
        }
    }

    fn read(&self) -> Result<Vec<u8>, String> {
        match self {
            Self::File(path) => std::fs::read(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display())),
            Self::Text(text) => Ok(text.to_vec()),
        }
    }
}

impl fmt::Debug for Pem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A client certificate and its private key, for servers (or gateways in front of them) that
/// require mutual TLS. `Debug` never shows the key.
#[derive(Clone)]
pub struct ClientIdentity {
    certificates: Pem,
    key: IdentityKey,
}

#[derive(Clone)]
enum IdentityKey {
    File(PathBuf),
    Text(SecretSlice<u8>),
}

impl ClientIdentity {
    /// A certificate chain (PEM, the client's certificate first) and its private key (PEM:
    /// PKCS#8, PKCS#1 or SEC1), both read from files when the client is built.
    #[must_use]
    pub fn from_pem_files(certificates: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        Self {
            certificates: Pem::File(certificates.into()),
            key: IdentityKey::File(key.into()),
        }
    }

    /// A certificate chain and its private key given as PEM text.
    #[must_use]
    pub fn from_pem(certificates: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> Self {
        Self {
            certificates: Pem::Text(certificates.into().into()),
            key: IdentityKey::Text(SecretSlice::from(key.into())),
        }
    }

    fn load(&self) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), Error> {
        let config_error = |reason: String| Error::Config {
            setting: "client_identity",
            reason,
        };
        let certificates = parse_certificates(&self.certificates).map_err(config_error)?;
        let key = match &self.key {
            IdentityKey::File(path) => PrivateKeyDer::from_pem_file(path).map_err(|error| {
                let encrypted = std::fs::read(path).is_ok_and(|text| is_encrypted(&text));
                config_error(format!(
                    "no usable private key in {}: {}",
                    path.display(),
                    describe_key_error(&error, encrypted)
                ))
            })?,
            IdentityKey::Text(text) => PrivateKeyDer::from_pem_slice(text.expose_secret())
                .map_err(|error| {
                    config_error(format!(
                        "no usable private key in the PEM given: {}",
                        describe_key_error(&error, is_encrypted(text.expose_secret()))
                    ))
                })?,
        };
        Ok((certificates, key))
    }
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key: &dyn fmt::Debug = match &self.key {
            IdentityKey::File(path) => path,
            IdentityKey::Text(_) => &airbyte_models::REDACTED,
        };
        f.debug_struct("ClientIdentity")
            .field("certificates", &self.certificates)
            .field("key", key)
            .finish()
    }
}

/// The TLS settings of a client.
#[derive(Clone, Debug, Default)]
pub(crate) struct TlsSettings {
    pub(crate) trust: TrustRoots,
    extra_cas: Vec<Pem>,
    pub(crate) identity: Option<ClientIdentity>,
    /// Whether HTTP/2 is offered by ALPN.
    pub(crate) http2: bool,
}

impl TlsSettings {
    pub(crate) fn new() -> Self {
        Self {
            http2: true,
            ..Self::default()
        }
    }

    pub(crate) fn add_ca_file(&mut self, path: PathBuf) {
        self.extra_cas.push(Pem::File(path));
    }

    pub(crate) fn add_ca_pem(&mut self, pem: Vec<u8>) {
        self.extra_cas.push(Pem::Text(pem.into()));
    }

    /// The rustls configuration. `uses_tls` is false when no root is `https://`: the trust
    /// stores are then not loaded (nothing would be verified against them), while extra CA
    /// files and the client identity are still read, so that a mistake in them shows at once.
    pub(crate) fn client_config(&self, uses_tls: bool) -> Result<ClientConfig, Error> {
        let mut roots = RootCertStore::empty();
        if uses_tls {
            if matches!(
                self.trust,
                TrustRoots::Bundled | TrustRoots::BundledAndSystem
            ) {
                roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            }
            if matches!(
                self.trust,
                TrustRoots::System | TrustRoots::BundledAndSystem
            ) {
                add_system_roots(&mut roots, self.trust == TrustRoots::System)?;
            }
        }
        for pem in &self.extra_cas {
            let certificates = parse_certificates(pem).map_err(|reason| Error::Config {
                setting: "ca_file",
                reason,
            })?;
            for certificate in certificates {
                roots.add(certificate).map_err(|error| Error::Config {
                    setting: "ca_file",
                    reason: format!("{}: not a usable CA certificate: {error}", pem.describe()),
                })?;
            }
        }
        let builder =
            ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .map_err(|error| Error::Config {
                    setting: "tls",
                    reason: error.to_string(),
                })?
                .with_root_certificates(roots);
        match &self.identity {
            None => Ok(builder.with_no_client_auth()),
            Some(identity) => {
                let (certificates, key) = identity.load()?;
                builder
                    .with_client_auth_cert(certificates, key)
                    .map_err(|error| Error::Config {
                        setting: "client_identity",
                        reason: format!("the certificate and key do not go together: {error}"),
                    })
            }
        }
    }
}

/// Adds the operating system's certificates. With `required`, a store without any certificate
/// is an error; otherwise problems are logged and the store skipped.
fn add_system_roots(roots: &mut RootCertStore, required: bool) -> Result<(), Error> {
    let loaded = rustls_native_certs::load_native_certs();
    let (added, ignored) = roots.add_parsable_certificates(loaded.certs);
    for error in &loaded.errors {
        tracing::warn!(%error, "a part of the system certificate store could not be read");
    }
    if ignored > 0 {
        tracing::debug!(
            ignored,
            "system certificates rustls cannot use were skipped"
        );
    }
    if added == 0 && required {
        let reasons: Vec<String> = loaded.errors.iter().map(ToString::to_string).collect();
        return Err(Error::Config {
            setting: "trust_roots",
            reason: format!(
                "the system certificate store holds no usable certificate{}",
                if reasons.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", reasons.join("; "))
                }
            ),
        });
    }
    Ok(())
}

/// Every certificate of a PEM bundle; a bundle without one is an error.
fn parse_certificates(pem: &Pem) -> Result<Vec<CertificateDer<'static>>, String> {
    let text = pem.read()?;
    let certificates = CertificateDer::pem_slice_iter(&text)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| format!("{}: {}", pem.describe(), describe_pem_error(&error)))?;
    if certificates.is_empty() {
        return Err(format!(
            "{}: no certificate (expected PEM blocks `-----BEGIN CERTIFICATE-----`)",
            pem.describe()
        ));
    }
    Ok(certificates)
}

/// Whether PEM text holds an encrypted private key (PKCS#8 `ENCRYPTED PRIVATE KEY`, or a
/// legacy key with `Proc-Type: 4,ENCRYPTED`), which rustls cannot read.
fn is_encrypted(text: &[u8]) -> bool {
    let text = String::from_utf8_lossy(text);
    text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        || text.contains("Proc-Type: 4,ENCRYPTED")
}

/// Why a private key could not be read, in words; what to do about an encrypted one.
fn describe_key_error(error: &rustls::pki_types::pem::Error, encrypted: bool) -> String {
    if encrypted {
        return "the key is encrypted with a passphrase, which is not supported: give it \
                decrypted (`openssl pkey -in KEY -out KEY.decrypted`, then `chmod 600`)"
            .to_owned();
    }
    describe_pem_error(error)
}

/// A PEM error in words, without the bytes it was given.
fn describe_pem_error(error: &rustls::pki_types::pem::Error) -> String {
    use rustls::pki_types::pem::Error as PemError;
    match error {
        PemError::NoItemsFound => "no PEM block of the expected kind".to_owned(),
        PemError::Io(error) => error.to_string(),
        PemError::MissingSectionEnd { .. } => "a PEM block has no END line".to_owned(),
        PemError::IllegalSectionStart { .. } => "a PEM BEGIN line is malformed".to_owned(),
        PemError::Base64Decode(_) => "a PEM block is not valid base64".to_owned(),
        _ => "the PEM text is malformed".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_roots_parse_from_their_names() {
        assert_eq!("bundled".parse(), Ok(TrustRoots::Bundled));
        assert_eq!("System".parse(), Ok(TrustRoots::System));
        assert_eq!("both".parse(), Ok(TrustRoots::BundledAndSystem));
        assert_eq!("bundled+system".parse(), Ok(TrustRoots::BundledAndSystem));
        assert!("openssl".parse::<TrustRoots>().is_err());
        for roots in [
            TrustRoots::Bundled,
            TrustRoots::System,
            TrustRoots::BundledAndSystem,
        ] {
            assert_eq!(roots.to_string().parse(), Ok(roots));
        }
    }

    #[test]
    fn a_ca_file_without_certificates_is_refused_with_its_path() {
        let mut settings = TlsSettings::new();
        settings.add_ca_pem(b"not a certificate".to_vec());
        let error = settings.client_config(false).unwrap_err().to_string();
        assert!(error.contains("ca_file"), "{error}");
        assert!(error.contains("no certificate"), "{error}");

        let mut settings = TlsSettings::new();
        settings.add_ca_file(PathBuf::from("/nonexistent/corp-ca.pem"));
        let error = settings.client_config(true).unwrap_err().to_string();
        assert!(error.contains("/nonexistent/corp-ca.pem"), "{error}");
    }

    #[test]
    fn the_bundled_roots_alone_need_no_system_store() {
        let settings = TlsSettings {
            trust: TrustRoots::Bundled,
            ..TlsSettings::new()
        };
        settings.client_config(true).expect("a configuration");
    }

    #[test]
    fn an_encrypted_private_key_is_refused_with_what_to_do() {
        for key in [
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0w\n-----END ENCRYPTED PRIVATE KEY-----\n",
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIB\n-----END RSA PRIVATE KEY-----\n",
        ] {
            let certificate = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
            let identity = ClientIdentity::from_pem(certificate.to_vec(), key.as_bytes().to_vec());
            let error = identity.load().unwrap_err().to_string();
            assert!(error.contains("encrypted"), "{error}");
            assert!(error.contains("openssl"), "{error}");
        }
    }

    #[test]
    fn a_private_key_given_as_text_never_shows_in_debug() {
        let identity = ClientIdentity::from_pem(b"cert".to_vec(), b"TOP-SECRET-KEY".to_vec());
        let shown = format!("{identity:?}");
        assert!(!shown.contains("TOP-SECRET-KEY"), "{shown}");
        let error = TlsSettings {
            identity: Some(identity),
            ..TlsSettings::new()
        }
        .client_config(false)
        .unwrap_err()
        .to_string();
        assert!(!error.contains("TOP-SECRET-KEY"), "{error}");
    }
}
