# The Gradescope autograder container, reproduced locally from the zip that is uploaded to Gradescope.
#
#   .venv/bin/python -m grader build-autograder --rubric gaussian-em -o autograder.zip
#   docker build -t grader-autograder .
#   docker run --rm -v "$PWD/my-submission:/autograder/submission:ro" -v "$PWD/out:/autograder/results" \
#       grader-autograder /autograder/run_autograder
#
# It does what Gradescope does with the zip: unpack it into /autograder/source, run setup.sh once,
# copy run_autograder to /autograder/run_autograder. Gradescope's default base image is Ubuntu 22.04;
# another zip or base image: --build-arg AUTOGRADER_ZIP=other.zip --build-arg BASE_IMAGE=...
ARG BASE_IMAGE=gradescope/autograder-base:ubuntu-22.04
FROM ${BASE_IMAGE}

ARG AUTOGRADER_ZIP=autograder.zip
COPY ${AUTOGRADER_ZIP} /tmp/autograder.zip

# The base image's python3 (Gradescope's harness runs on it; installed here if a base lacks it)
# unpacks the zip; zipfile keeps no permission bits, hence the chmod.
RUN (command -v python3 >/dev/null || (apt-get update && apt-get install -y --no-install-recommends python3)) \
 && mkdir -p /autograder/source /autograder/submission /autograder/results \
 && python3 -m zipfile -e /tmp/autograder.zip /autograder/source \
 && rm /tmp/autograder.zip \
 && cp /autograder/source/run_autograder /autograder/run_autograder \
 && chmod +x /autograder/run_autograder /autograder/source/setup.sh

RUN cd /autograder/source && bash ./setup.sh \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /root/.cache

WORKDIR /autograder
# The base image defines the entry point Gradescope uses; `docker run IMAGE /autograder/run_autograder`
# runs one submission without it.
