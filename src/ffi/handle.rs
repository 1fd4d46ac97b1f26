//! Opaque handles. A C `struct s2n_x *` is a Rust object we allocated: a
//! `Box` for objects with one owner (connections), an `Arc` for objects that
//! connections keep alive (configs, certificate chains). These casts are the
//! only way from a handle to its Rust type; NULL becomes `S2N_ERR_NULL`.

use std::sync::Arc;

use crate::error::{Error, S2N_ERR_NULL};

/// A C handle type owned through a `Box<Self::Rust>`.
pub(crate) trait BoxHandle: Sized {
    type Rust;

    /// `s2n_*_free(T **)`: frees the object and sets the caller's pointer
    /// to NULL; a NULL pointer (at either level) is a no-op, as in s2n.
    fn free_slot(slot: *mut *mut Self) -> Result<(), Error> {
        if slot.is_null() {
            return Ok(());
        }
        let slot = super::out(slot)?;
        if !slot.is_null() {
            drop(Self::take(*slot)?);
            *slot = std::ptr::null_mut();
        }
        Ok(())
    }

    fn into_handle(value: Self::Rust) -> *mut Self {
        Box::into_raw(Box::new(value)).cast()
    }

    /// Borrows the object behind a handle for the duration of one C call.
    #[track_caller]
    fn get<'a>(handle: *const Self) -> Result<&'a Self::Rust, Error> {
        // SAFETY: a non-NULL handle of this type was produced by `into_handle`
        // and not yet freed: the C API contract for every s2n handle argument.
        unsafe { handle.cast::<Self::Rust>().as_ref() }.ok_or_else(|| Error::new(S2N_ERR_NULL))
    }

    /// Takes ownership back from C; the handle is dangling afterwards.
    #[track_caller]
    fn take(handle: *mut Self) -> Result<Box<Self::Rust>, Error> {
        if handle.is_null() {
            return Err(Error::new(S2N_ERR_NULL));
        }
        // SAFETY: non-NULL, produced by `into_handle` and, per the API
        // contract, freed exactly once.
        Ok(unsafe { Box::from_raw(handle.cast::<Self::Rust>()) })
    }
}

/// A C handle type shared through an `Arc<Self::Rust>`.
pub(crate) trait ArcHandle: Sized {
    type Rust;

    fn into_handle(value: Arc<Self::Rust>) -> *mut Self {
        Arc::into_raw(value).cast_mut().cast()
    }

    /// Borrows the object for the duration of one C call.
    #[track_caller]
    fn get<'a>(handle: *const Self) -> Result<&'a Self::Rust, Error> {
        // SAFETY: a non-NULL handle was produced by `into_handle` and the C
        // caller still owns that reference (it has not freed the handle).
        unsafe { handle.cast::<Self::Rust>().as_ref() }.ok_or_else(|| Error::new(S2N_ERR_NULL))
    }

    /// A new strong reference, for Rust objects that keep this one alive.
    #[track_caller]
    fn share(handle: *const Self) -> Result<Arc<Self::Rust>, Error> {
        if handle.is_null() {
            return Err(Error::new(S2N_ERR_NULL));
        }
        let ptr = handle.cast::<Self::Rust>();
        // SAFETY: the pointer came from `Arc::into_raw` and C's reference is
        // alive, so the count is at least one while we add ours.
        unsafe {
            Arc::increment_strong_count(ptr);
            Ok(Arc::from_raw(ptr))
        }
    }

    /// Gives up C's reference; the object lives on while Rust holds others.
    #[track_caller]
    fn release(handle: *mut Self) -> Result<(), Error> {
        if handle.is_null() {
            return Err(Error::new(S2N_ERR_NULL));
        }
        // SAFETY: C's own reference, created by `into_handle`, released once.
        drop(unsafe { Arc::from_raw(handle.cast_const().cast::<Self::Rust>()) });
        Ok(())
    }
}

/// A C handle that points into an object another handle owns (a certificate
/// inside a chain): valid while that owner is.
pub(crate) trait RefHandle: Sized {
    type Rust;

    fn from_ref(value: &Self::Rust) -> *mut Self {
        (value as *const Self::Rust).cast_mut().cast()
    }

    #[track_caller]
    fn get<'a>(handle: *const Self) -> Result<&'a Self::Rust, Error> {
        // SAFETY: a non-NULL handle was produced by `from_ref` from an object
        // whose owner the C caller has not freed (the API contract).
        unsafe { handle.cast::<Self::Rust>().as_ref() }.ok_or_else(|| Error::new(S2N_ERR_NULL))
    }
}
