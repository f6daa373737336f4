//! CloudTrail searches, shared by `monitui trail search` and the CloudTrail
//! tab: a live search pages LookupEvents through the provider (one lookup
//! attribute sent, the rest applied here, at most two requests a second,
//! throttling retried with backoff, results capped), and a file search
//! streams delivered log files (`.json` or `.json.gz`) through the same
//! criteria.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::num::NonZeroU32;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use flate2::bufread::MultiGzDecoder;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::backoff::Backoff;
use crate::model::trail::log_file::{self, LogFileError};
use crate::model::trail::{LookupPlan, TrailCriteria, TrailRecord};
use crate::model::{TrailPage, TrailQuery};
use crate::provider::{ProviderError, TrailRead};

/// LookupEvents' quota: two requests a second per account and region.
pub const LOOKUP_INTERVAL: Duration = Duration::from_millis(500);
/// Results a search keeps unless told otherwise.
pub const DEFAULT_LIMIT: usize = 1000;
/// LookupEvents pages a live search reads at most unless told otherwise
/// (50 events a page: 10,000 events, 100 s at the quota).
pub const DEFAULT_MAX_PAGES: usize = 200;

/// Why a search stopped before it had looked at everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cutoff {
    /// It found `limit` matches and there are more, or may be (the service
    /// had pages left).
    Limit,
    /// It read its maximum number of pages; later pages were not read.
    PageCap,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq)]
pub struct TrailSearch {
    /// Matching records, newest first (undated ones last).
    pub records: Vec<TrailRecord>,
    /// `Some` when more matches are available than were fetched: the
    /// "more available" marker.
    pub cutoff: Option<Cutoff>,
    /// LookupEvents calls that answered (0 for file searches).
    pub pages: usize,
    /// Records examined.
    pub scanned: usize,
}

/// How far a live search has got, after each page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrailProgress {
    /// LookupEvents calls answered so far.
    pub pages: usize,
    /// Events read so far.
    pub scanned: usize,
    /// Matches kept so far.
    pub matched: usize,
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum TrailSearchError {
    /// LookupEvents failed (after the throttling retries).
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// A log file could not be opened or read.
    #[error("{}: {reason}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// What failed.
        reason: std::io::Error,
    },
    /// A log file is not a readable CloudTrail log file.
    #[error("{}: {reason}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        reason: LogFileError,
    },
}

impl TrailSearchError {
    /// Whether the user asked for something invalid (a bad or missing file,
    /// an invalid lookup): exit code 2 rather than 1.
    pub fn is_bad_input(&self) -> bool {
        match self {
            Self::Provider(e) => matches!(e, ProviderError::Invalid(_)),
            Self::Open { .. } | Self::File { .. } => true,
        }
    }
}

/// How a live search paces and bounds itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveOptions {
    /// Matches to keep.
    pub limit: usize,
    /// Pages to read at most.
    pub max_pages: usize,
    /// Shortest time between two LookupEvents requests.
    pub interval: Duration,
    /// Times a throttled request is tried again.
    pub throttle_retries: u32,
    /// Waits between those tries.
    pub backoff: Backoff,
}

impl Default for LiveOptions {
    fn default() -> Self {
        Self {
            limit: DEFAULT_LIMIT,
            max_pages: DEFAULT_MAX_PAGES,
            interval: LOOKUP_INTERVAL,
            throttle_retries: 5,
            backoff: Backoff::default(),
        }
    }
}

/// Searches one account's event history. Keep one per account and region
/// so that every search of it shares the request-rate limiter.
#[derive(Debug)]
pub struct LiveTrailSearch {
    trail: Arc<dyn TrailRead>,
    limiter: DefaultDirectRateLimiter,
    options: LiveOptions,
}

impl LiveTrailSearch {
    /// A searcher over an account's LookupEvents (`Session::reads.trail`).
    pub fn new(trail: Arc<dyn TrailRead>, options: LiveOptions) -> Self {
        // A zero interval means no pacing: the largest quota there is.
        let quota = Quota::with_period(options.interval)
            .map_or(Quota::per_second(NonZeroU32::MAX), |q| {
                q.allow_burst(NonZeroU32::MIN)
            });
        Self {
            trail,
            limiter: RateLimiter::direct(quota),
            options,
        }
    }

    /// Every matching event (up to the limit), newest first, following
    /// every page the service offers (up to the page cap).
    pub async fn search(&self, criteria: &TrailCriteria) -> Result<TrailSearch, TrailSearchError> {
        self.search_reporting(criteria, &mut |_| {}).await
    }

    /// [`LiveTrailSearch::search`], telling `progress` after every page
    /// (a long search in the TUI shows how far it got).
    pub async fn search_reporting(
        &self,
        criteria: &TrailCriteria,
        progress: &mut (dyn FnMut(TrailProgress) + Send),
    ) -> Result<TrailSearch, TrailSearchError> {
        let plan = LookupPlan::new(criteria);
        let mut query = TrailQuery {
            attribute: plan.attribute.clone(),
            start: criteria.since,
            end: criteria.until,
            next_token: None,
        };
        let mut found = Collector::new(self.options.limit);
        let mut pages = 0;
        loop {
            let page = self.fetch(&query).await?;
            pages += 1;
            let mut stopped = false;
            for record in page.events.iter().map(TrailRecord::from_event) {
                found.scanned += 1;
                if plan.keeps(&record) && found.offer(record).is_break() {
                    stopped = true;
                    break;
                }
            }
            progress(TrailProgress {
                pages,
                scanned: found.scanned,
                matched: found.records.len(),
            });
            match page.next_token {
                _ if stopped => break,
                Some(_) if found.full() => {
                    found.cutoff = Some(Cutoff::Limit);
                    break;
                }
                Some(_) if pages >= self.options.max_pages => {
                    found.cutoff = Some(Cutoff::PageCap);
                    break;
                }
                Some(token) => query.next_token = Some(token),
                None => break,
            }
        }
        Ok(found.finish(pages))
    }

    /// One page, waiting for the rate limiter before every request and
    /// retrying throttled requests with a growing wait.
    async fn fetch(&self, query: &TrailQuery) -> Result<TrailPage, ProviderError> {
        let mut attempt = 0;
        loop {
            self.limiter.until_ready().await;
            match self.trail.lookup_trail_events(query).await {
                Err(ProviderError::Throttled { .. }) if attempt < self.options.throttle_retries => {
                    attempt += 1;
                    tokio::time::sleep(self.options.backoff.delay(attempt)).await;
                }
                other => return other,
            }
        }
    }
}

/// Searches delivered log files, in the order given, streaming each one.
/// The whole of every file is searched unless the criteria give a time
/// window. Blocking: run it off the UI thread.
pub fn search_files(
    paths: &[PathBuf],
    criteria: &TrailCriteria,
    limit: usize,
) -> Result<TrailSearch, TrailSearchError> {
    let mut found = Collector::new(limit);
    for path in paths {
        let reader = open_log_file(path)?;
        log_file::read_records(reader, |record| {
            found.scanned += 1;
            if criteria.matches(&record) {
                found.offer(record)
            } else {
                ControlFlow::Continue(())
            }
        })
        .map_err(|reason| TrailSearchError::File {
            path: path.clone(),
            reason,
        })?;
        if found.cutoff.is_some() {
            break;
        }
    }
    Ok(found.finish(0))
}

/// A log file as a byte stream, gunzipped when it starts with the gzip
/// magic bytes (whatever its name).
pub fn open_log_file(path: &Path) -> Result<Box<dyn Read>, TrailSearchError> {
    let open_error = |reason| TrailSearchError::Open {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = BufReader::with_capacity(256 * 1024, File::open(path).map_err(open_error)?);
    let gzipped = reader
        .fill_buf()
        .map_err(open_error)?
        .starts_with(&[0x1f, 0x8b]);
    Ok(if gzipped {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            MultiGzDecoder::new(reader),
        ))
    } else {
        Box::new(reader)
    })
}

/// Keeps matches up to the limit and notices when there are more.
struct Collector {
    records: Vec<TrailRecord>,
    limit: usize,
    scanned: usize,
    cutoff: Option<Cutoff>,
}

impl Collector {
    fn new(limit: usize) -> Self {
        Self {
            records: Vec::new(),
            limit,
            scanned: 0,
            cutoff: None,
        }
    }

    fn full(&self) -> bool {
        self.records.len() >= self.limit
    }

    /// Keeps `record`, or breaks: a match beyond the limit means more are
    /// available.
    fn offer(&mut self, record: TrailRecord) -> ControlFlow<()> {
        if self.full() {
            self.cutoff = Some(Cutoff::Limit);
            return ControlFlow::Break(());
        }
        self.records.push(record);
        ControlFlow::Continue(())
    }

    fn finish(mut self, pages: usize) -> TrailSearch {
        // `None < Some`, so newest first puts undated records last.
        self.records
            .sort_by_key(|r| std::cmp::Reverse(r.event_time));
        TrailSearch {
            records: self.records,
            cutoff: self.cutoff,
            pages,
            scanned: self.scanned,
        }
    }
}
