/**
 * The job repository: where it lives (by default an H2 file in the user's state directory,
 * the same from any working directory; one documented setting to move it; an earlier
 * version's {@code ./data} repository found and used rather than abandoned; the one line
 * every run prints to say which repository it uses), and its database going away and coming
 * back (the connection pool's settings, the ride through a short outage, the clear failure
 * after a long one).
 */
@NullMarked
package io.cvimport.repository;

import org.jspecify.annotations.NullMarked;
