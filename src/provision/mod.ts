/**
 * The provisioner: catalog to installed worker, as one transaction.
 *
 * @module
 */

export {};
