package dev.keel.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link WithInfrastructure}. The servers live in the root context's store, so
 * JUnit closes them once every test of the JVM has run; the per-class database and topics live in
 * the class's store and are closed after the class.
 */
public final class InfrastructureExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(InfrastructureExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == TestKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        ExtensionContext classContext = classContext(context);
        String hint = classContext.getRequiredTestClass().getSimpleName();
        if (type == TestDatabase.class) {
            return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(TestDatabase.class,
                    key -> TestDatabase.create(shared(context).postgres(), hint), TestDatabase.class);
        }
        if (type == TestKafka.class) {
            return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(TestKafka.class,
                    key -> TestKafka.create(shared(context).kafka(), hint), TestKafka.class);
        }
        throw new ParameterResolutionException("cannot resolve " + type);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        // nested classes share the database of their outermost test class
        while (current.getParent().isPresent() && current.getParent().get().getTestClass().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static SharedInfrastructure shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedInfrastructure.class, key -> new SharedInfrastructure(), SharedInfrastructure.class);
    }
}
