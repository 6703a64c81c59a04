/**
 * Where the job repository lives: by default an H2 file in the user's state directory, the
 * same from any working directory; one documented setting to move it; an earlier version's
 * {@code ./data} repository found and used rather than abandoned; and the one line every
 * run prints to say which repository it uses.
 */
@NullMarked
package io.cvimport.repository;

import org.jspecify.annotations.NullMarked;
