/**
 * The job repository's database going away and coming back: its connection pool's
 * settings, the ride through a short outage, and the clear failure after a long one.
 */
@NullMarked
package io.cvimport.repository;

import org.jspecify.annotations.NullMarked;
