//! Password hashing (A8): argon2id at m=19 MiB, t=2, p=1, on threads of its own.
//!
//! Hashing is the one CPU-heavy thing the server does on behalf of anonymous callers, so it
//! must not be able to starve everything else:
//! - a fixed number of hashing threads (one per core by default) acts as the semaphore;
//! - a short bounded queue in front of them; a sign-in that finds it full, or that waited
//!   longer than a second, gets 503 `server_busy` with `Retry-After` at once;
//! - the threads run at a lower scheduling priority, so HTTP workers answering other requests
//!   (`/me`, lists) get the CPU first during a sign-in flood, while hashing still uses every
//!   cycle they leave;
//! - each thread keeps its 19 MiB of argon2 working memory from one verification to the next
//!   ([`Verifier`]): allocating it afresh made the kernel hand out and zero thousands of pages
//!   per sign-in, a third of one hashing thread's time during a flood.

use std::{
    sync::{mpsc, Arc, Mutex},
    time::{Duration, Instant},
};

use argon2::{
    password_hash::{rand_core::OsRng, Output, PasswordHash, PasswordHasher as _, SaltString},
    Algorithm, Argon2, Block, Params, Version,
};
use gatehouse_domain::{people::Password, problem::ErrorCode};
use tokio::sync::oneshot;

use crate::error::{ApiError, ApiResult};

/// How long a job may wait in the queue before it is refused instead of run.
const MAX_QUEUE_WAIT: Duration = Duration::from_secs(1);

/// The cost parameters (OWASP's argon2id minimum).
#[must_use]
pub fn argon2() -> Argon2<'static> {
    // The constants are valid; `Params::new` only fails on out-of-range values.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Argon2 verification with working memory that outlives one call. Argon2 writes every block
/// of its memory before reading it, so the blocks need no clearing in between.
#[derive(Default)]
pub struct Verifier {
    memory: Vec<Block>,
}

impl Verifier {
    /// Whether `password` matches the PHC string `hash`, at the cost parameters written in it.
    /// A hash that does not parse matches nothing.
    pub fn verify(&mut self, password: &[u8], hash: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(hash) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return false;
        };
        let (Ok(algorithm), Ok(version), Ok(params)) = (
            Algorithm::try_from(parsed.algorithm),
            parsed
                .version
                .map_or(Ok(Version::default()), Version::try_from),
            Params::try_from(&parsed),
        ) else {
            return false;
        };
        let mut salt_bytes = [0u8; 64];
        let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
            return false;
        };
        let blocks = params.block_count();
        if self.memory.len() < blocks {
            self.memory.resize(blocks, Block::default());
        }
        let argon2 = Argon2::new(algorithm, version, params);
        let computed = Output::init_with(expected.len(), |out| {
            argon2
                .hash_password_into_with_memory(password, salt, out, &mut self.memory[..blocks])
                .map_err(Into::into)
        });
        // `Output` compares in constant time.
        computed.is_ok_and(|computed| computed == expected)
    }
}

enum Work {
    Hash {
        password: Password,
        reply: oneshot::Sender<ApiResult<String>>,
    },
    Verify {
        password: Password,
        hash: String,
        reply: oneshot::Sender<bool>,
    },
}

struct Job {
    work: Work,
    queued_at: Instant,
}

/// The hashing pool. Cheap to clone; all clones share the threads.
#[derive(Clone)]
pub struct PasswordHasher {
    queue: mpsc::SyncSender<Job>,
    /// Verified against when the e-mail is unknown, so both cases cost one hash (A7).
    dummy_hash: Arc<String>,
}

impl PasswordHasher {
    /// Starts `workers` hashing threads behind a queue of `queue` jobs.
    #[must_use]
    pub fn start(workers: usize, queue: usize) -> Self {
        let (tx, rx) = mpsc::sync_channel::<Job>(queue.max(1));
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..workers.max(1) {
            let rx = Arc::clone(&rx);
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || work(&rx));
            if let Err(err) = spawned {
                tracing::error!(%err, "cannot start a password hashing thread");
            }
        }
        let salt = SaltString::generate(&mut OsRng);
        let dummy_hash = argon2()
            .hash_password(uuid::Uuid::new_v4().as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default();
        Self {
            queue: tx,
            dummy_hash: Arc::new(dummy_hash),
        }
    }

    /// Hashes a new password into a PHC string.
    ///
    /// # Errors
    /// `server_busy` when the queue is full.
    pub async fn hash(&self, password: Password) -> ApiResult<String> {
        let (reply, answer) = oneshot::channel();
        self.submit(Work::Hash { password, reply })?;
        answer.await.map_err(|_| busy())?
    }

    /// Verifies a password against a stored hash; `None` (no identity, or an invited person
    /// without a password yet) costs the same as a wrong password.
    ///
    /// # Errors
    /// `server_busy` when the queue is full.
    pub async fn verify(&self, password: Password, hash: Option<&str>) -> ApiResult<bool> {
        let known = hash.is_some();
        let hash = hash.unwrap_or(&self.dummy_hash).to_owned();
        let (reply, answer) = oneshot::channel();
        self.submit(Work::Verify {
            password,
            hash,
            reply,
        })?;
        let matched = answer.await.map_err(|_| busy())?;
        Ok(matched && known)
    }

    fn submit(&self, work: Work) -> ApiResult<()> {
        self.queue
            .try_send(Job {
                work,
                queued_at: Instant::now(),
            })
            .map_err(|_| busy())
    }
}

fn busy() -> ApiError {
    ApiError::RetryAfter {
        code: ErrorCode::ServerBusy,
        seconds: 1,
    }
}

fn work(rx: &Mutex<mpsc::Receiver<Job>>) {
    lower_priority();
    let argon2 = argon2();
    let mut verifier = Verifier::default();
    loop {
        // The lock is held only while waiting for the next job, never while hashing.
        let job = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        let stale = job.queued_at.elapsed() > MAX_QUEUE_WAIT;
        match job.work {
            Work::Hash { password, reply } => {
                let result = if stale {
                    Err(busy())
                } else {
                    let salt = SaltString::generate(&mut OsRng);
                    argon2
                        .hash_password(password.expose().as_bytes(), &salt)
                        .map(|h| h.to_string())
                        .map_err(ApiError::internal)
                };
                let _ = reply.send(result);
            }
            Work::Verify {
                password,
                hash,
                reply,
            } => {
                if stale {
                    // Dropping the reply makes the caller answer 503.
                    continue;
                }
                let _ = reply.send(verifier.verify(password.expose().as_bytes(), &hash));
            }
        }
    }
}

/// Nice 10 for the calling thread: hashing yields the CPU to request handling.
#[allow(unsafe_code)]
fn lower_priority() {
    // SAFETY: setpriority with PRIO_PROCESS and a thread id only changes that thread's nice
    // value (Linux threads are scheduled individually); it reads and writes no memory of ours.
    #[cfg(target_os = "linux")]
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phc(params: Params, password: &[u8]) -> String {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(password, &salt)
            .map(|h| h.to_string())
            .unwrap()
    }

    #[test]
    fn reused_memory_verifies_like_a_fresh_allocation() {
        let mut verifier = Verifier::default();
        let ours = argon2()
            .hash_password(b"right", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        // A smaller hash after a larger one reads only the blocks it wrote, and a larger one
        // after a smaller grows the memory.
        let small = phc(Params::new(64, 1, 1, None).unwrap(), b"right");
        for hash in [&ours, &small, &ours, &small] {
            assert!(verifier.verify(b"right", hash));
            assert!(!verifier.verify(b"wrong", hash));
        }
    }

    #[test]
    fn a_hash_that_does_not_parse_matches_nothing() {
        let mut verifier = Verifier::default();
        let ours = phc(Params::new(64, 1, 1, None).unwrap(), b"right");
        let without_hash = ours.rsplit_once('$').unwrap().0.to_owned();
        for hash in [
            "",
            "plain",
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$",
            &without_hash,
        ] {
            assert!(!verifier.verify(b"right", hash), "{hash}");
        }
        let other_algorithm = ours.replacen("argon2id", "scrypt", 1);
        assert!(!verifier.verify(b"right", &other_algorithm));
    }
}
