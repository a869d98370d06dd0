package io.attach.health;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A bare web application with the starter's auto-configuration, for probe tests.
 *
 * @author attach
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ProbesTestApplication {

}
