//! The server's state, shared by every connection, and the one path that builds it at start
//! and puts it back on reset.

use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::Error;
use crate::auth::Tokens;
use crate::clock::Clock;
use crate::config::{MockConfig, Mode};
use crate::faults::FaultState;
use crate::fixtures::FixtureSet;
use crate::fixtures::record::Recorder;
use crate::journal::Journal;
use crate::rate_limit::Buckets;
use crate::world::{World, WorldSeed};

/// The state, as the router and the layers hold it.
pub(crate) type App = Arc<Shared>;

/// Counters for `/_mock/stats` and the benchmarks.
#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) connections_accepted: AtomicU64,
    pub(crate) requests: AtomicU64,
}

/// State shared by all connections.
pub(crate) struct Shared {
    pub(crate) config: MockConfig,
    /// The base of `next`/`previous` links (the real server's `AIRBYTE_API_HOST`).
    pub(crate) api_host: String,
    /// The world file's text, parsed again on reset.
    world_text: Cow<'static, str>,
    seed: u64,
    pub(crate) tokens: Tokens,
    pub(crate) clock: Clock,
    pub(crate) world: Mutex<World>,
    pub(crate) faults: Mutex<FaultState>,
    /// The rate limit's buckets, one per credential.
    pub(crate) rate_limit: Mutex<Buckets>,
    pub(crate) journal: Mutex<Journal>,
    pub(crate) fixtures: Mutex<FixtureSet>,
    /// Whether any fixture was loaded (they are loaded once, at start).
    pub(crate) has_fixtures: bool,
    pub(crate) recorder: Option<Recorder>,
    pub(crate) stats: Stats,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a reset rebuilds from the settings: everything that changes while the server runs,
/// except the clock (reset first, since the world is built at its time) and the counters of
/// fixture uses (kept with their fixtures). Built by one function, at start and on reset, and
/// taken apart field by field, so that a new holder cannot be forgotten by either.
struct Fresh {
    world: World,
    faults: FaultState,
    rate_limit: Buckets,
    journal: Journal,
}

impl Fresh {
    fn build(config: &MockConfig, text: &str, seed: u64, now_ms: i64) -> Result<Self, String> {
        let job_ms = i64::try_from(config.job_duration.as_millis()).unwrap_or(i64::MAX);
        Ok(Self {
            world: WorldSeed::parse(text)?.build(seed, job_ms, now_ms)?,
            faults: FaultState::new(config.faults.clone(), seed),
            rate_limit: Buckets::new(config.rate_limit),
            journal: Journal::new(config.journal_capacity, config.journal_max_bytes),
        })
    }
}

impl Shared {
    pub(crate) fn build(
        config: MockConfig,
        addr: SocketAddr,
        recorder: Option<Recorder>,
    ) -> Result<Self, Error> {
        let seed = config.seed.unwrap_or_else(|| fastrand::u64(..));
        // The text, not the parsed seed, is kept for resets: it is several times smaller.
        let world_text: Cow<'static, str> = match &config.world_file {
            Some(path) => {
                Cow::Owned(
                    std::fs::read_to_string(path).map_err(|error| Error::Fixture {
                        file: path.display().to_string(),
                        reason: error.to_string(),
                    })?,
                )
            }
            None => Cow::Borrowed(crate::world::seed::DEFAULT_WORLD),
        };
        let clock = Clock::new(config.clock_speed);
        let Fresh {
            world,
            faults,
            rate_limit,
            journal,
        } = Fresh::build(&config, &world_text, seed, clock.now_ms()).map_err(|reason| {
            Error::Fixture {
                file: config.world_file.as_ref().map_or_else(
                    || "the built-in default world".to_owned(),
                    |path| path.display().to_string(),
                ),
                reason,
            }
        })?;
        let fixtures = match &config.fixtures_dir {
            Some(dir) => FixtureSet::load_dir(dir).map_err(|reason| Error::Fixture {
                file: dir.display().to_string(),
                reason,
            })?,
            None => FixtureSet::default(),
        };
        if config.mode == Mode::Replay && fixtures.is_empty() && recorder.is_none() {
            return Err(Error::Fixture {
                file: config
                    .fixtures_dir
                    .as_ref()
                    .map_or_else(|| "(none)".to_owned(), |dir| dir.display().to_string()),
                reason: "replay mode needs recorded interactions (--fixtures DIR)".to_owned(),
            });
        }
        let api_host = config.api_host.clone().map_or_else(
            || {
                let scheme = if config.tls.is_some() {
                    "https"
                } else {
                    "http"
                };
                format!("{scheme}://{addr}/api/public")
            },
            |host| host.trim_end_matches('/').to_owned(),
        );
        Ok(Self {
            api_host,
            world_text,
            seed,
            tokens: Tokens::new(),
            clock,
            world: Mutex::new(world),
            faults: Mutex::new(faults),
            rate_limit: Mutex::new(rate_limit),
            journal: Mutex::new(journal),
            has_fixtures: !fixtures.is_empty(),
            fixtures: Mutex::new(fixtures),
            recorder,
            stats: Stats::default(),
            config,
        })
    }

    /// Puts every state holder back as it was at start: the clock (speed and time), the world
    /// (with job and check scripts), faults, the rate limit's buckets, the journal, the uses of fixtures and the
    /// counters. Tokens issued before are refused from then on (401): a fixed seed gives the
    /// fresh world the same IDs and secrets, which old tokens must not reach.
    pub(crate) fn reset(&self) -> Result<(), String> {
        self.clock.reset(self.config.clock_speed);
        let Fresh {
            world,
            faults,
            rate_limit,
            journal,
        } = Fresh::build(
            &self.config,
            &self.world_text,
            self.seed,
            self.clock.now_ms(),
        )?;
        {
            // Tokens are minted and checked under the world's lock: with the swap and the
            // revocation under it too, no token of the old world reaches the new one.
            let mut current = lock(&self.world);
            *current = world;
            self.tokens.revoke_all();
        }
        *lock(&self.faults) = faults;
        *lock(&self.rate_limit) = rate_limit;
        *lock(&self.journal) = journal;
        lock(&self.fixtures).reset_uses();
        self.stats.requests.store(0, Ordering::Relaxed);
        self.stats.connections_accepted.store(0, Ordering::Relaxed);
        Ok(())
    }

    /// The world at the current time, with finished jobs settled.
    pub(crate) fn world_now(&self, now_ms: i64) -> MutexGuard<'_, World> {
        let mut world = lock(&self.world);
        world.settle(now_ms);
        world
    }
}
