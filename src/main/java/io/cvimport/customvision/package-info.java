/**
 * The Custom Vision Training API v3.2, as far as this tool uses it: ImportProject,
 * GetProject and GetProjects, and ExportProject and GetTags on source projects, over
 * Apache HttpClient 5. Knows HTTP and the API, nothing of Spring Batch; failures leave
 * as typed {@link io.cvimport.customvision.ApiResult}s.
 */
@NullMarked
package io.cvimport.customvision;

import org.jspecify.annotations.NullMarked;
