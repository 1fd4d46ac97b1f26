//! The TLS1.2 session-ID cache of s2n: the application's store, retrieve
//! and delete callbacks, behind rustls's server session storage. rustls asks
//! for sessions inside its state machine, where the connection is the one
//! in the handshake context; the callbacks get that connection's handle.

use std::sync::Arc;

use crate::ffi::{CPtr, callbacks};
use crate::notes;
use crate::types::*;

/// The largest session state s2nrs reads back from a retrieve callback.
const MAX_STATE: usize = 16 * 1024;

/// A config's cache callbacks.
#[derive(Clone, Copy, Default)]
pub struct CacheCallbacks {
    pub store: Option<(s2n_cache_store_callback, CPtr)>,
    pub retrieve: Option<(s2n_cache_retrieve_callback, CPtr)>,
    pub delete: Option<(s2n_cache_delete_callback, CPtr)>,
}

impl CacheCallbacks {
    pub fn complete(&self) -> bool {
        self.store.is_some() && self.retrieve.is_some() && self.delete.is_some()
    }
}

/// rustls's session storage over the callbacks.
pub struct CallbackCache {
    pub callbacks: CacheCallbacks,
    pub ttl_secs: u64,
}

impl std::fmt::Debug for CallbackCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackCache").finish_non_exhaustive()
    }
}

impl CallbackCache {
    pub fn new(callbacks: CacheCallbacks, ttl_secs: u64) -> Arc<Self> {
        Arc::new(Self {
            callbacks,
            ttl_secs,
        })
    }
}

impl rustls::server::StoresServerSessions for CallbackCache {
    fn put(&self, key: Vec<u8>, value: Vec<u8>) -> bool {
        let Some((cb, ctx)) = self.callbacks.store else {
            return false;
        };
        callbacks::cache_store(cb, ctx, notes::context().conn, self.ttl_secs, &key, &value)
    }

    /// Partial: a retrieve callback that answers S2N_CALLBACK_BLOCKED is a
    /// miss (rustls cannot pause here), so the handshake is a full one.
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        let (cb, ctx) = self.callbacks.retrieve?;
        callbacks::cache_retrieve(cb, ctx, notes::context().conn, key, MAX_STATE)
    }

    fn take(&self, key: &[u8]) -> Option<Vec<u8>> {
        let value = self.get(key)?;
        if let Some((cb, ctx)) = self.callbacks.delete {
            callbacks::cache_delete(cb, ctx, notes::context().conn, key);
        }
        Some(value)
    }

    fn can_cache(&self) -> bool {
        true
    }
}
