/**
 * Jackson, configured once: {@link io.segnet.common.json.JsonMappers} (the JSON and YAML mappers every segnet file
 * goes through) and {@link io.segnet.common.json.NamedSubtypes} (how a module registers the implementations of its
 * polymorphic config interfaces without the interface naming them).
 */
package io.segnet.common.json;
