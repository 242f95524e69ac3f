package io.segnet.common.json;

import java.util.List;

/**
 * A module's list of polymorphic types that {@link JsonMappers} registers with every mapper it configures, found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/io.segnet.common.json.NamedSubtypes} file naming the
 * implementation). Each listed class carries {@code @JsonTypeName}, its tag under the {@code type} property of the
 * interface it implements.
 *
 * <p>This is how an interface such as {@code ModelConfig} is read back from JSON without naming its implementations:
 * the interface has {@code @JsonTypeInfo} only, the implementations name themselves, and one registry per module
 * lists them, so no interface imports the classes that implement it.
 */
public interface NamedSubtypes {

    /** The classes to register, each annotated with {@code @JsonTypeName}. */
    List<Class<?>> subtypes();
}
