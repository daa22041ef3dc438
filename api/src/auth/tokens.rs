//! Access tokens (A2, A9): EdDSA-signed JWTs with a `kid`, the signing key generated on the first
//! start and kept in the database so every instance signs and verifies alike, and the public
//! keys published as a JWKS.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use ed25519_dalek::{pkcs8::EncodePrivateKey, SigningKey};
use gatehouse_domain::{problem::ErrorCode, Id};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{
    entities::signing_keys,
    error::{ApiError, ApiResult},
};

/// Every access token is an access token for this audience; nothing else is accepted as one.
pub const AUDIENCE: &str = "gatehouse-api";
/// Tolerated clock skew between instances (A9).
const LEEWAY_SECONDS: u64 = 30;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// The identity id.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    /// The account the token is for.
    pub acc: Id,
    /// The session; checked to be live on every request (A3).
    pub sid: Id,
}

/// The keys to sign and verify access tokens, and their JWKS.
pub struct TokenKeys {
    kid: String,
    encoding: EncodingKey,
    decoding: Vec<(String, DecodingKey)>,
    jwks: serde_json::Value,
    issuer: String,
    ttl_seconds: u64,
}

impl TokenKeys {
    /// Loads the signing keys, generating the first one on an empty database.
    ///
    /// # Errors
    /// A database error, or a stored key that cannot be read.
    pub async fn load_or_create(
        db: &DatabaseConnection,
        issuer: String,
        ttl_seconds: u64,
    ) -> ApiResult<Self> {
        let mut keys = signing_keys::Entity::find()
            .order_by_desc(signing_keys::Column::Id)
            .all(db)
            .await?;
        if keys.is_empty() {
            let generated = generate()?;
            // Two instances starting on one empty database may both generate; both keys are
            // then published and each verifies the other's tokens.
            keys.push(generated.insert(db).await?);
        }
        let newest = keys
            .first()
            .ok_or_else(|| ApiError::internal("no signing key"))?;
        let encoding = EncodingKey::from_ed_pem(newest.private_key_pem.as_bytes())
            .map_err(ApiError::internal)?;
        let mut decoding = Vec::new();
        let mut jwks = Vec::new();
        for key in &keys {
            decoding.push((
                key.kid.clone(),
                DecodingKey::from_ed_components(&key.public_key).map_err(ApiError::internal)?,
            ));
            jwks.push(serde_json::json!({
                "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
                "kid": key.kid, "x": key.public_key,
            }));
        }
        Ok(Self {
            kid: newest.kid.clone(),
            encoding,
            decoding,
            jwks: serde_json::json!({ "keys": jwks }),
            issuer,
            ttl_seconds,
        })
    }

    #[must_use]
    pub fn ttl_seconds(&self) -> u64 {
        self.ttl_seconds
    }

    #[must_use]
    pub fn jwks(&self) -> &serde_json::Value {
        &self.jwks
    }

    /// Signs an access token for a session.
    ///
    /// # Errors
    /// Only if signing itself fails.
    pub fn issue(&self, identity_id: Id, account_id: Id, session_id: Id) -> ApiResult<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            sub: identity_id.to_string(),
            iat: now,
            exp: now + i64::try_from(self.ttl_seconds).unwrap_or(900),
            acc: account_id,
            sid: session_id,
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(ApiError::internal)
    }

    /// Verifies signature, algorithm, `kid`, issuer, audience and expiry.
    ///
    /// # Errors
    /// 401 `invalid_token` for anything short of a valid token, with no hint which check failed.
    pub fn verify(&self, token: &str) -> ApiResult<AccessClaims> {
        let invalid = || ApiError::Code(ErrorCode::InvalidToken);
        let header = jsonwebtoken::decode_header(token).map_err(|_| invalid())?;
        // The algorithm is pinned: `none`, HS256 keyed with the public key, or anything else
        // is refused before a key is even chosen.
        if header.alg != Algorithm::EdDSA {
            return Err(invalid());
        }
        let kid = header.kid.ok_or_else(invalid)?;
        let key = self
            .decoding
            .iter()
            .find(|(k, _)| *k == kid)
            .map(|(_, key)| key)
            .ok_or_else(invalid)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.leeway = LEEWAY_SECONDS;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        jsonwebtoken::decode::<AccessClaims>(token, key, &validation)
            .map(|data| data.claims)
            .map_err(|_| invalid())
    }
}

fn generate() -> ApiResult<signing_keys::ActiveModel> {
    let signing = SigningKey::generate(&mut rand::rngs::OsRng);
    let pem = signing
        .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .map_err(ApiError::internal)?;
    let public = signing.verifying_key().to_bytes();
    let kid = hex::encode(&Sha256::digest(public)[..8]);
    Ok(signing_keys::ActiveModel {
        kid: Set(kid),
        algorithm: Set("EdDSA".to_owned()),
        private_key_pem: Set(pem.to_string()),
        public_key: Set(URL_SAFE_NO_PAD.encode(public)),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    })
}

/// An opaque random token (refresh tokens, and later reset links and invitations) with the
/// hash that is stored instead of it.
#[must_use]
pub fn random_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// SHA-256, hex. Tokens are 256 random bits, so a fast hash is enough (no salt or stretching).
#[must_use]
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
