//! Key exchange groups of s2n's policies that rustls's aws-lc-rs provider
//! lacks, added through rustls's public provider traits:
//! - secp521r1: ECDHE over P-521 (aws-lc-rs's ECDH_P521);
//! - SecP384r1MLKEM1024 (IANA 0x11ED, TLS1.3 only): P-384 ECDHE and
//!   ML-KEM-1024 together, the classical part first in each share and in the
//!   shared secret, as in SecP256r1MLKEM768 (draft-ietf-tls-ecdhe-mlkem),
//!   built from rustls's own P-384 and ML-KEM-1024 groups.

use aws_lc_rs::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey, agree_ephemeral};
use rustls::crypto::aws_lc_rs::kx_group;
use rustls::crypto::{ActiveKeyExchange, CompletedKeyExchange, SharedSecret, SupportedKxGroup};
use rustls::{Error, NamedGroup, PeerMisbehaved, ProtocolVersion};

/// Groups to offer beside rustls's `ALL_KX_GROUPS`.
pub(super) static EXTRA: &[&dyn SupportedKxGroup] = &[SECP521R1, SECP384R1MLKEM1024];

pub static SECP521R1: &dyn SupportedKxGroup = &Ecdh {
    name: NamedGroup::secp521r1,
    alg: &agreement::ECDH_P521,
};

pub static SECP384R1MLKEM1024: &dyn SupportedKxGroup = &Hybrid {
    name: NamedGroup::Unknown(0x11ed),
    classical: kx_group::SECP384R1,
    post_quantum: kx_group::MLKEM1024,
    // An uncompressed P-384 point.
    classical_share_len: 97,
};

fn invalid_share() -> Error {
    Error::PeerMisbehaved(PeerMisbehaved::InvalidKeyShare)
}

#[derive(Debug)]
struct Ecdh {
    name: NamedGroup,
    alg: &'static agreement::Algorithm,
}

struct EcdhActive {
    name: NamedGroup,
    alg: &'static agreement::Algorithm,
    key: EphemeralPrivateKey,
    public: Vec<u8>,
}

impl SupportedKxGroup for Ecdh {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let failed = |_| Error::General("key generation failed".into());
        let key = EphemeralPrivateKey::generate(self.alg, &rng).map_err(failed)?;
        let public = key.compute_public_key().map_err(failed)?.as_ref().to_vec();
        Ok(Box::new(EcdhActive {
            name: self.name,
            alg: self.alg,
            key,
            public,
        }))
    }

    fn name(&self) -> NamedGroup {
        self.name
    }
}

impl ActiveKeyExchange for EcdhActive {
    fn complete(self: Box<Self>, peer_pub_key: &[u8]) -> Result<SharedSecret, Error> {
        let peer = UnparsedPublicKey::new(self.alg, peer_pub_key);
        agree_ephemeral(self.key, peer, invalid_share(), |secret| {
            Ok(SharedSecret::from(secret))
        })
    }

    fn pub_key(&self) -> &[u8] {
        &self.public
    }

    fn group(&self) -> NamedGroup {
        self.name
    }
}

#[derive(Debug)]
struct Hybrid {
    name: NamedGroup,
    classical: &'static dyn SupportedKxGroup,
    post_quantum: &'static dyn SupportedKxGroup,
    classical_share_len: usize,
}

struct HybridActive {
    name: NamedGroup,
    classical: Box<dyn ActiveKeyExchange>,
    post_quantum: Box<dyn ActiveKeyExchange>,
    share: Vec<u8>,
    classical_share_len: usize,
}

/// The two parts of a shared secret, classical first.
fn joined(classical: SharedSecret, post_quantum: SharedSecret) -> SharedSecret {
    let mut secret = classical.secret_bytes().to_vec();
    secret.extend_from_slice(post_quantum.secret_bytes());
    let joined = SharedSecret::from(&secret[..]);
    zeroize::Zeroize::zeroize(&mut secret);
    joined
}

impl SupportedKxGroup for Hybrid {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let classical = self.classical.start()?;
        let post_quantum = self.post_quantum.start()?;
        let mut share = classical.pub_key().to_vec();
        share.extend_from_slice(post_quantum.pub_key());
        Ok(Box::new(HybridActive {
            name: self.name,
            classical,
            post_quantum,
            share,
            classical_share_len: self.classical_share_len,
        }))
    }

    /// The server's side: ECDHE with the client's point, encapsulation to
    /// its ML-KEM key.
    fn start_and_complete(&self, client_share: &[u8]) -> Result<CompletedKeyExchange, Error> {
        let (classical_share, post_quantum_share) = client_share
            .split_at_checked(self.classical_share_len)
            .ok_or_else(invalid_share)?;
        let classical = self.classical.start_and_complete(classical_share)?;
        let post_quantum = self.post_quantum.start_and_complete(post_quantum_share)?;
        let mut pub_key = classical.pub_key;
        pub_key.extend_from_slice(&post_quantum.pub_key);
        Ok(CompletedKeyExchange {
            group: self.name,
            pub_key,
            secret: joined(classical.secret, post_quantum.secret),
        })
    }

    fn name(&self) -> NamedGroup {
        self.name
    }

    fn usable_for_version(&self, version: ProtocolVersion) -> bool {
        version == ProtocolVersion::TLSv1_3
    }
}

impl ActiveKeyExchange for HybridActive {
    /// The client's side: the server's point, then its ML-KEM ciphertext.
    fn complete(self: Box<Self>, peer_pub_key: &[u8]) -> Result<SharedSecret, Error> {
        let (classical_share, ciphertext) = peer_pub_key
            .split_at_checked(self.classical_share_len)
            .ok_or_else(invalid_share)?;
        let classical = self.classical.complete(classical_share)?;
        let post_quantum = self.post_quantum.complete(ciphertext)?;
        Ok(joined(classical, post_quantum))
    }

    fn pub_key(&self) -> &[u8] {
        &self.share
    }

    fn group(&self) -> NamedGroup {
        self.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both sides of each group agree on the secret, and a short share fails.
    #[test]
    fn groups_agree() {
        for group in EXTRA {
            let client = group.start().unwrap();
            let server = group.start_and_complete(client.pub_key()).unwrap();
            assert_eq!(server.group, group.name());
            let secret = client.complete(&server.pub_key).unwrap();
            assert_eq!(secret.secret_bytes(), server.secret.secret_bytes());
            assert!(group.start_and_complete(&[4, 1, 2]).is_err());
        }
    }
}
