//! HTTPS for the mock server: a certificate authority and a server certificate (for
//! `localhost`, the loopback addresses and the listening address) made at start, HTTP/2 and
//! HTTP/1.1 offered by ALPN, and optionally mutual TLS with a client certificate the same
//! authority signed. A client trusts the server by trusting [`TlsMaterial::ca_pem`].

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::RootCertStore;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio_rustls::TlsAcceptor;

use crate::Error;

/// TLS settings of a mock server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TlsConfig {
    /// Require mutual TLS: a client must present a certificate signed by the server's
    /// certificate authority ([`TlsMaterial::client_certificate_pem`]).
    pub require_client_certificate: bool,
}

impl TlsConfig {
    /// HTTPS without client certificates.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// HTTPS that requires a client certificate.
    #[must_use]
    pub fn mutual() -> Self {
        Self {
            require_client_certificate: true,
        }
    }
}

/// The certificates a TLS mock server made at start. `Debug` never shows the client key.
#[derive(Clone)]
pub struct TlsMaterial {
    ca_pem: String,
    client_certificate_pem: String,
    client_key_pem: String,
}

impl fmt::Debug for TlsMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsMaterial")
            .field("ca_pem", &self.ca_pem)
            .field("client_certificate_pem", &self.client_certificate_pem)
            .field("client_key_pem", &airbyte_models::REDACTED)
            .finish()
    }
}

/// The files [`TlsMaterial::write_to`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TlsFiles {
    /// The certificate authority, to trust (`ca.pem`).
    pub ca: PathBuf,
    /// A client certificate the authority signed, for mutual TLS (`client.pem`).
    pub client_certificate: PathBuf,
    /// Its private key, readable by the owner only (`client-key.pem`).
    pub client_key: PathBuf,
}

impl TlsMaterial {
    /// The certificate authority (PEM) that signed the server's certificate.
    #[must_use]
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// A client certificate (PEM) the same authority signed, accepted for mutual TLS.
    #[must_use]
    pub fn client_certificate_pem(&self) -> &str {
        &self.client_certificate_pem
    }

    /// The private key (PEM, PKCS#8) of the client certificate.
    #[must_use]
    pub fn client_key_pem(&self) -> &str {
        &self.client_key_pem
    }

    /// Writes `ca.pem`, `client.pem` and `client-key.pem` (mode 600 on Unix) into `dir`,
    /// which is created when missing.
    ///
    /// # Errors
    ///
    /// When the directory or a file cannot be written.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<TlsFiles> {
        std::fs::create_dir_all(dir)?;
        let files = TlsFiles {
            ca: dir.join("ca.pem"),
            client_certificate: dir.join("client.pem"),
            client_key: dir.join("client-key.pem"),
        };
        std::fs::write(&files.ca, &self.ca_pem)?;
        std::fs::write(&files.client_certificate, &self.client_certificate_pem)?;
        write_private(&files.client_key, &self.client_key_pem)?;
        Ok(files)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// What the listener needs: the acceptor, and the material to hand out.
pub(crate) struct TlsSetup {
    pub(crate) acceptor: TlsAcceptor,
    pub(crate) material: TlsMaterial,
}

fn tls_error(what: &str) -> impl Fn(rcgen::Error) -> Error + '_ {
    move |error| Error::Tls {
        reason: format!("{what}: {error}"),
    }
}

/// A certificate for `names` (none for a client), with its new key, signed by `ca`.
fn signed(
    names: Vec<String>,
    common_name: &str,
    usage: ExtendedKeyUsagePurpose,
    ca: &CertifiedIssuer<'_, KeyPair>,
) -> Result<(rcgen::Certificate, KeyPair), Error> {
    let mut params = CertificateParams::new(names).map_err(tls_error(common_name))?;
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.extended_key_usages = vec![usage];
    let key = KeyPair::generate().map_err(tls_error(common_name))?;
    let certificate = params.signed_by(&key, ca).map_err(tls_error(common_name))?;
    Ok((certificate, key))
}

/// Makes the certificates and the TLS configuration for a server listening on `addr`.
pub(crate) fn setup(addr: SocketAddr, config: TlsConfig) -> Result<TlsSetup, Error> {
    let mut ca_params =
        CertificateParams::new(Vec::<String>::new()).map_err(tls_error("certificate authority"))?;
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "airbyte-mock-server CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().map_err(tls_error("certificate authority key"))?;
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key)
        .map_err(tls_error("certificate authority"))?;

    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    let ip = addr.ip().to_string();
    if !names.contains(&ip) && !addr.ip().is_unspecified() {
        names.push(ip);
    }
    let (server, server_key) = signed(
        names,
        "airbyte-mock-server",
        ExtendedKeyUsagePurpose::ServerAuth,
        &ca,
    )?;
    let (client, client_key) = signed(
        Vec::new(),
        "airbyte-mock-server client",
        ExtendedKeyUsagePurpose::ClientAuth,
        &ca,
    )?;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|error| Error::Tls {
            reason: error.to_string(),
        })?;
    let builder = if config.require_client_certificate {
        let mut roots = RootCertStore::empty();
        roots.add(ca.der().clone()).map_err(|error| Error::Tls {
            reason: error.to_string(),
        })?;
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|error| Error::Tls {
                reason: error.to_string(),
            })?;
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let chain: Vec<CertificateDer<'static>> = vec![server.der().clone(), ca.der().clone()];
    let mut server_config = builder
        .with_single_cert(chain, key)
        .map_err(|error| Error::Tls {
            reason: error.to_string(),
        })?;
    server_config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsSetup {
        acceptor: TlsAcceptor::from(Arc::new(server_config)),
        material: TlsMaterial {
            ca_pem: ca.pem(),
            client_certificate_pem: client.pem(),
            client_key_pem: client_key.serialize_pem(),
        },
    })
}
