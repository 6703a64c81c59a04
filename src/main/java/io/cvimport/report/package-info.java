/** What a run leaves for people: the per-row report CSV and the printed summary. */
@NullMarked
package io.cvimport.report;

import org.jspecify.annotations.NullMarked;
