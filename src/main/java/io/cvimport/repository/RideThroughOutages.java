package io.cvimport.repository;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.batch.core.Entity;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.ResourceLinks;

/**
 * Every call to the job repository rides through a short outage: the ledger's (the import
 * engine writes each row's state on its own and waits until it is committed; the resource
 * links a listing learns; the rows a pass reopens) and Spring
 * Batch's JobRepository's (the records of steps and of the job, between and after steps).
 */
@Component
class RideThroughOutages implements BeanPostProcessor {

    /** Resolved on first use: the outage needs the data source, which must not be made this early. */
    private final ObjectProvider<RepositoryOutage> outage;

    RideThroughOutages(ObjectProvider<RepositoryOutage> outage) {
        this.outage = outage;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof JobRepository || bean instanceof ImportLedger || bean instanceof ResourceLinks
                || bean instanceof ClosedRows) {
            ProxyFactory proxy = new ProxyFactory();
            proxy.setTarget(bean);
            if (bean instanceof JobRepository) {
                proxy.addInterface(JobRepository.class);
            }
            else {
                proxy.setProxyTargetClass(true);
            }
            boolean selfTransacted = bean instanceof JobRepository;
            proxy.addAdvice((MethodInterceptor) invocation -> selfTransacted
                    ? outage.getObject().rideThroughSelfTransacted(fromVersionsHeld(invocation))
                    : outage.getObject().rideThrough(() -> proceed(invocation)));
            return proxy.getProxy();
        }
        return bean;
    }

    /**
     * A JobRepository update raises its execution's version in memory once its statement ran,
     * before the commit: when the commit fails (a disk full, a connection cut), the database
     * still holds the version before, and the call is made again from that one. Otherwise Batch
     * refuses it as another's update ("wrong version"), and the outage hides behind that.
     */
    private static Supplier<@Nullable Object> fromVersionsHeld(MethodInvocation invocation) {
        Map<Entity, @Nullable Integer> versions = new IdentityHashMap<>();
        for (Object argument : invocation.getArguments()) {
            if (argument instanceof Entity entity) {
                versions.put(entity, entity.getVersion());
            }
        }
        return () -> {
            versions.forEach(Entity::setVersion);
            return proceed(invocation);
        };
    }

    private static @Nullable Object proceed(MethodInvocation invocation) {
        try {
            return invocation.proceed();
        }
        catch (RuntimeException | Error e) {
            throw e;
        }
        catch (Throwable e) {
            // neither the ledger nor the JobRepository declares a checked exception
            throw new UndeclaredThrowableException(e);
        }
    }
}
